package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdFileTest {
    @TempDir
    Path dir;

    private static String bcrypt(BCrypt.Version version, String password) {
        return BCrypt.with(version).hashToString(4, password.toCharArray());
    }

    @Test
    void verifiesBcryptPasswordsOfEveryVariant() throws IOException {
        Path file = Files.writeString(dir.resolve("users"), String.join("\n",
                "alice:" + bcrypt(BCrypt.Version.VERSION_2Y, "wonderland"),
                "bob:" + bcrypt(BCrypt.Version.VERSION_2B, "builder"),
                "carol:" + bcrypt(BCrypt.Version.VERSION_2A, "singer"), ""));
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.verify("alice", "wonderland")).isTrue();
        assertThat(users.verify("bob", "builder")).isTrue();
        assertThat(users.verify("carol", "singer")).isTrue();
        assertThat(users.verify("alice", "Wonderland")).isFalse();
        assertThat(users.verify("alice", "")).isFalse();
        assertThat(users.verify("nobody", "wonderland")).isFalse();
    }

    @Test
    void aCachedPasswordStillFailsWhenWrongOrWhenTheHashChanged() throws IOException {
        Path file = Files.writeString(dir.resolve("users"), "alice:" + bcrypt(BCrypt.Version.VERSION_2Y, "one") + "\n");
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.verify("alice", "one")).isTrue();
        assertThat(users.verify("alice", "one")).isTrue();
        assertThat(users.verify("alice", "two")).isFalse();
        Files.writeString(file, "alice:" + bcrypt(BCrypt.Version.VERSION_2Y, "two") + "\n");
        bumpModificationTime(file);
        assertThat(users.verify("alice", "one")).isFalse();
        assertThat(users.verify("alice", "two")).isTrue();
    }

    @Test
    void aChangedFileIsReadAgainWithoutARestart() throws IOException {
        Path file = Files.writeString(dir.resolve("users"), "alice:" + bcrypt(BCrypt.Version.VERSION_2Y, "a") + "\n");
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.hasUser("bob")).isFalse();
        Files.writeString(file, "bob:" + bcrypt(BCrypt.Version.VERSION_2Y, "b") + "\n", java.nio.file.StandardOpenOption.APPEND);
        bumpModificationTime(file);
        assertThat(users.verify("bob", "b")).isTrue();
        Files.delete(file);
        assertThat(users.verify("alice", "a")).isFalse();
    }

    @Test
    void aMissingFileMeansNoUsers() {
        HtpasswdFile users = new HtpasswdFile(dir.resolve("absent"));
        assertThat(users.verify("alice", "x")).isFalse();
    }

    @Test
    void otherHashKindsAndTheAnonymousNameAreRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("users"), String.join("\n",
                "md5:$apr1$Q8n0Wl1e$0Q5m8Z5y5n8H0w1kUq2Fq/",
                "sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
                "plain:password",
                "anonymous:" + bcrypt(BCrypt.Version.VERSION_2Y, "x"),
                "# a comment", "garbage-line", ""));
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.hasUser("md5")).isFalse();
        assertThat(users.hasUser("sha")).isFalse();
        assertThat(users.verify("plain", "password")).isFalse();
        assertThat(users.hasUser("anonymous")).isFalse();
    }

    @Test
    void acceptsAFileWrittenByTheRealHtpasswdBinary() throws Exception {
        Path file = dir.resolve("users");
        run("htpasswd", "-c", "-B", "-b", file.toString(), "alice", "s3cret pass");
        run("htpasswd", "-B", "-C", "12", "-b", file.toString(), "bob", "p:with:colons");
        assertThat(Files.readString(file)).startsWith("alice:$2y$");
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.verify("alice", "s3cret pass")).isTrue();
        assertThat(users.verify("bob", "p:with:colons")).isTrue();
        assertThat(users.verify("alice", "s3cret")).isFalse();
    }

    @Test
    void theRealHtpasswdBinaryVerifiesWhatBerthWrites() throws Exception {
        Path file = dir.resolve("users");
        HtpasswdEditor.put(file, "alice", "from berth".toCharArray());
        assertThat(run("htpasswd", "-v", "-b", file.toString(), "alice", "from berth")).isZero();
        assertThat(run("htpasswd", "-v", "-b", file.toString(), "alice", "wrong")).isNotZero();
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        return process.exitValue();
    }

    /** Sets the file's time well past the last read's, as a later edit would. */
    private static void bumpModificationTime(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }
}
