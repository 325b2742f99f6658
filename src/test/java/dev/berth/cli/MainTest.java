package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.Filesystem;
import dev.berth.config.BerthConfig.Storage;
import dev.berth.config.BerthConfig.StorageDriver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final List<BerthConfig> served = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs the command line with a runner that records the configuration instead of starting a server. */
    private int berth(Map<String, String> env, String... args) {
        return Main.run(args, env, config -> {
            served.add(config);
            return 0;
        }, new PrintWriter(out), new PrintWriter(err));
    }

    private int berth(String... args) {
        return berth(Map.of(), args);
    }

    @Test
    void serveWithNothingConfiguredUsesTheDefaults() {
        assertThat(berth("serve")).isZero();
        assertThat(served).containsExactly(BerthConfig.defaults());
    }

    @Test
    void storageFlagIsShorthandForTheFilesystemDriverAtThatRoot() {
        assertThat(berth(Map.of("BERTH_STORAGE_DRIVER", "memory"), "serve", "--storage", "/srv/berth")).isZero();
        assertThat(served.get(0).storage())
                .isEqualTo(new Storage(StorageDriver.FILESYSTEM, new Filesystem(Path.of("/srv/berth"))));
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheConfigFile() throws IOException {
        Path file = Files.writeString(dir.resolve("berth.yaml"), """
                listen: file:1
                storage: {driver: memory}
                delete: {enabled: false}
                """);
        int code = berth(Map.of("BERTH_LISTEN", "env:2", "BERTH_STORAGE_DRIVER", "filesystem"),
                "serve", "--config", file.toString(), "--listen", "flag:3");
        assertThat(code).isZero();
        BerthConfig config = served.get(0);
        assertThat(config.listen()).isEqualTo("flag:3");
        assertThat(config.storage().driver()).isEqualTo(StorageDriver.FILESYSTEM);
        assertThat(config.delete().enabled()).isFalse();
    }

    @Test
    void badConfigurationPrintsTheMessageAloneAndExitsTwo() throws IOException {
        Path file = Files.writeString(dir.resolve("berth.yaml"), "storage:\n  filesytem: {root: x}\n");
        int code = berth(Map.of("BERTH_LISTN", "x"), "serve", "--config", file.toString(), "--listen", "nowhere");
        assertThat(code).isEqualTo(2);
        assertThat(served).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                file + ":2: unknown key 'storage.filesytem' (did you mean 'storage.filesystem'?)",
                "environment variable BERTH_LISTN: matches no configuration key (did you mean 'BERTH_LISTEN'?)",
                "option --listen: listen: 'nowhere' is not HOST:PORT"
                        + " (write e.g. localhost:5000, 0.0.0.0:5000, [::1]:5000)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aServerThatCannotStartIsOneLineAndExitsOne() {
        int code = Main.run(new String[] {"serve"}, Map.of(), config -> {
            throw new java.net.BindException("Address already in use");
        }, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("berth: could not start: Address already in use" + System.lineSeparator());
    }

    @Test
    void aCertificateFileThatCannotBeUsedIsOneLineNamingKeyAndFile() {
        Path missing = dir.resolve("tls.crt");
        int code = Main.run(new String[] {"serve", "--listen", "127.0.0.1:0"}, Map.of("BERTH_STORAGE_DRIVER", "memory",
                "BERTH_TLS_CERT", missing.toString(), "BERTH_TLS_KEY", dir.resolve("tls.key").toString()),
                ServeCommand::serveUntilStopped, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("berth: could not start: tls.cert: " + missing + ": no such file"
                + System.lineSeparator());
    }

    @Test
    void unknownOptionIsAUsageErrorWithASuggestion() {
        assertThat(berth("serve", "--lisen=x:1")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--lisen").contains("--listen");
        assertThat(served).isEmpty();
    }

    @Test
    void helpListsTheServeCommand() {
        assertThat(berth("--help")).isZero();
        assertThat(out.toString()).contains("Usage: berth").contains("serve");
    }

    @Test
    void serveHelpListsOptionsAndEveryKeyWithItsVariable() {
        assertThat(berth("serve", "--help")).isZero();
        assertThat(out.toString())
                .contains("--listen=HOST:PORT", "--storage=DIR", "--config=FILE")
                .contains("storage.filesystem.root", "BERTH_STORAGE_FILESYSTEM_ROOT")
                .contains("limits.manifest-size", "BERTH_LIMITS_MANIFEST_SIZE")
                .contains("BERTH_JAVA_OPTS");
    }

    @Test
    void versionNamesBerthAndJava() {
        assertThat(berth("--version")).isZero();
        assertThat(out.toString()).startsWith("berth ").contains("Java " + System.getProperty("java.version"));
        assertThat(berth("serve", "--version")).isZero();
    }

    @Test
    void noCommandShowsUsageAndExitsTwo() {
        assertThat(berth()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: berth").contains("serve");
    }

    @Test
    void startUpLineShowsTheAbsoluteStorageDirectory() {
        Storage relative = new Storage(StorageDriver.FILESYSTEM, new Filesystem(Path.of("./data")));
        assertThat(ServeCommand.describeStorage(relative))
                .isEqualTo("filesystem " + Path.of("").toAbsolutePath().resolve("data"));
        assertThat(ServeCommand.describeStorage(new Storage(StorageDriver.MEMORY, relative.filesystem())))
                .startsWith("memory");
    }
}
