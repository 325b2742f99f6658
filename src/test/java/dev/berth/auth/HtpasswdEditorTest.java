package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdEditorTest {
    @TempDir
    Path dir;

    @Test
    void addsReplacesAndRemovesUsersKeepingTheOtherLines() throws IOException {
        Path file = dir.resolve("users");
        HtpasswdEditor.put(file, "alice", "one".toCharArray());
        HtpasswdEditor.put(file, "bob", "two".toCharArray());
        HtpasswdEditor.put(file, "alice", "three".toCharArray());
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("alice:$2y$10$");
        assertThat(lines.get(1)).startsWith("bob:$2y$10$");
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.verify("alice", "three")).isTrue();
        assertThat(users.verify("alice", "one")).isFalse();

        assertThat(HtpasswdEditor.remove(file, "alice")).isTrue();
        assertThat(HtpasswdEditor.remove(file, "alice")).isFalse();
        assertThat(Files.readAllLines(file)).singleElement().asString().startsWith("bob:");
    }

    @Test
    void aNewFileIsNotReadableByOthersAndNoTemporaryFileStays() throws IOException {
        Path file = dir.resolve("sub/users");
        HtpasswdEditor.put(file, "alice", "pw".toCharArray());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void refusesReservedAndMalformedNamesAndEmptyPasswords() {
        Path file = dir.resolve("users");
        assertThatThrownBy(() -> HtpasswdEditor.put(file, "anonymous", "x".toCharArray()))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> HtpasswdEditor.put(file, "a:b", "x".toCharArray())).hasMessageContaining("not a user");
        assertThatThrownBy(() -> HtpasswdEditor.put(file, "alice", new char[0])).hasMessageContaining("empty");
        assertThat(file).doesNotExist();
    }
}
