package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.ConfigKey;
import dev.berth.config.ConfigKeyTable;
import dev.berth.config.ConfigKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
    /** The complete example file that docs/configuration.md presents. */
    private static final Path EXAMPLE = Path.of("docs/berth.example.yaml");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int berth(Map<String, String> env, String... args) {
        return Main.run(args, env, config -> {
            throw new AssertionError("config check must not start a server");
        }, new PrintWriter(out), new PrintWriter(err));
    }

    /** Standard output's lines stripped, with the padding before each comment cut to one space. */
    private List<String> outLines() {
        return out.toString().lines().map(line -> line.strip().replaceAll(" {2,}# ", " # ")).toList();
    }

    @Test
    void aValidFileIsPrintedWithEveryKeyAndWhereItsValueCameFromAndExitsZero() throws IOException {
        Path file = Files.writeString(dir.resolve("berth.yaml"), """
                listen: 0.0.0.0:5000
                storage:
                  driver: s3
                  s3: {endpoint: "http://127.0.0.1:9000", access-key: writer, secret-key: hunter2}
                notifications:
                  endpoints:
                    - {name: audit, url: "https://hooks.example.com/", headers: {Authorization: [Bearer abc123]}}
                """);
        int code = berth(Map.of("BERTH_LOG_FORMAT", "json"), "config", "check", "--config", file.toString());
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString()).doesNotContain("hunter2", "abc123").startsWith("# The configuration");
        assertThat(outLines()).contains(
                "listen: 0.0.0.0:5000 # " + file + ":1",
                "driver: s3 # " + file + ":3",
                "access-key: writer # " + file + ":4",
                "secret-key: \"<redacted>\" # " + file + ":4",
                "format: json # environment variable BERTH_LOG_FORMAT",
                "level: info # default");
    }

    @Test
    void theStorageAndListenOptionsApplyAsForServe() {
        int code = berth(Map.of("BERTH_STORAGE_DRIVER", "memory"), "config", "check", "--storage", "/srv/berth",
                "--listen", "127.0.0.1:6000");
        assertThat(code).isZero();
        assertThat(outLines()).contains("listen: 127.0.0.1:6000 # option --listen",
                "driver: filesystem # option --storage (over environment variable BERTH_STORAGE_DRIVER)",
                "root: /srv/berth # option --storage");
    }

    @Test
    void anInvalidFilePrintsEachProblemWithKeyAndLineAndExitsOne() throws IOException {
        Path file = Files.writeString(dir.resolve("berth.yaml"), """
                listen: 0.0.0.0:5000
                limits:
                  manifest-size: 4MB
                storage: {filesytem: {root: x}}
                """);
        int code = berth(Map.of(), "config", "check", "--config", file.toString());
        assertThat(code).isEqualTo(ConfigCommand.EXIT_INVALID).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                file + ":4: unknown key 'storage.filesytem' (did you mean 'storage.filesystem'?)",
                file + ":3: limits.manifest-size: '4MB' is not a size: units are binary, write 4MiB",
                "berth config check: the configuration is not valid (2 problems)");
    }

    @Test
    void keysThatAreValidAloneButNotTogetherAreInvalidToo() {
        int code = berth(Map.of("BERTH_STORAGE_DRIVER", "s3", "BERTH_STORAGE_S3_ACCESS_KEY", "writer"),
                "config", "check");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("storage.s3: access-key and secret-key go together");
    }

    @Test
    void aMissingFileIsInvalidAndAWrongCommandLineIsAUsageError() {
        assertThat(berth(Map.of(), "config", "check", "--config", dir.resolve("none.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("none.yaml: no such configuration file");
        assertThat(berth(Map.of(), "config", "check", "--confg", "x")).isEqualTo(2);
        assertThat(berth(Map.of(), "config")).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: berth config", "check", "keys");
    }

    @Test
    void theExampleFileOfTheDocumentationIsValidAndSetsEveryKey() {
        int code = berth(Map.of(), "config", "check", "--config", EXAMPLE.toString());
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        // Every value comes from the file: the example leaves no key out, and switches both sections on.
        assertThat(outLines()).noneMatch(line -> line.endsWith("# default"))
                .noneMatch(line -> line.contains("is absent"));
    }

    @Test
    void keysListsEveryKeyWithItsVariableAndDefault() {
        assertThat(berth(Map.of(), "config", "keys")).isZero();
        assertThat(outLines()).anyMatch(line -> line.matches("storage\\.filesystem\\.root\\s+"
                + "BERTH_STORAGE_FILESYSTEM_ROOT\\s+\\./data"));
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(out.toString()).contains(key.path(), key.envName());
        }
    }

    @Test
    void keysMarkdownIsTheGeneratedReference() {
        assertThat(berth(Map.of(), "config", "keys", "--markdown")).isZero();
        assertThat(out.toString()).isEqualTo(ConfigKeyTable.markdown());
    }
}
