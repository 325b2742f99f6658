package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.auth.HtpasswdFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int berth(String stdin, String... args) {
        return Main.run(args, Map.of(), config -> {
            throw new AssertionError("no server is started by berth user");
        }, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out),
                new PrintWriter(err));
    }

    @Test
    void addWritesABcryptEntryThatVerifiesAndRemoveTakesItOut() {
        Path file = dir.resolve("users.htpasswd");
        assertThat(berth("s3cret\n", "user", "add", "alice", "--password-stdin", "--htpasswd", file.toString()))
                .as(err.toString()).isZero();
        assertThat(new HtpasswdFile(file).verify("alice", "s3cret")).isTrue();
        assertThat(out.toString()).doesNotContain("s3cret");

        assertThat(berth("", "user", "remove", "alice", "--htpasswd", file.toString())).as(err.toString()).isZero();
        assertThat(new HtpasswdFile(file).hasUser("alice")).isFalse();
        assertThat(berth("", "user", "remove", "alice", "--htpasswd", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no user alice");
    }

    @Test
    void theFileComesFromTheConfigurationsAuthHtpasswd() throws IOException {
        Path file = dir.resolve("from-config.htpasswd");
        Path config = Files.writeString(dir.resolve("berth.yaml"), "auth: {htpasswd: " + file + "}\n");
        assertThat(berth("pw\n", "user", "add", "bob", "--password-stdin", "--config", config.toString()))
                .as(err.toString()).isZero();
        assertThat(new HtpasswdFile(file).verify("bob", "pw")).isTrue();
    }

    @Test
    void withoutAFileOrAPasswordItSaysWhatIsMissing() {
        assertThat(berth("pw\n", "user", "add", "bob", "--password-stdin")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--htpasswd FILE", "auth.htpasswd");
        assertThat(berth("", "user", "add", "bob", "--password-stdin", "--htpasswd", dir.resolve("f").toString()))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("no password on standard input");
        assertThat(berth("x\n", "user", "add", "anonymous", "--password-stdin", "--htpasswd",
                dir.resolve("f").toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("reserved");
    }
}
