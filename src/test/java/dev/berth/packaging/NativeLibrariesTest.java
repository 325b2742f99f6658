package dev.berth.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibrariesTest {
    private static final Path FILE = Path.of("/opt/java/lib/libnet.so");

    @Test
    void lddOutputGivesLibraryAndLoaderPathsButNotVirtualObjects() throws IOException {
        String printed = """
                \tlinux-vdso.so.1 (0x00007ffd8a5e2000)
                \tlibjava.so => /opt/java/lib/libjava.so (0x00007f6f1c000000)
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f6f1be1f000)
                \tlibjli.so => /opt/java/bin/../lib/libjli.so (0x00007f6f1c200000)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007f6f1c4a1000)
                """;

        assertThat(NativeLibraries.parseLdd(printed, FILE)).containsExactly(
                Path.of("/opt/java/lib/libjava.so"), Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
                Path.of("/opt/java/lib/libjli.so"), Path.of("/lib64/ld-linux-x86-64.so.2"));
    }

    @Test
    void staticallyLinkedFileNeedsNothing() throws IOException {
        assertThat(NativeLibraries.parseLdd("\tstatically linked\n", FILE)).isEmpty();
    }

    @Test
    void libraryLddCannotFindIsAnErrorNamingIt() {
        String printed = "\tlibX11.so.6 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n";

        assertThatThrownBy(() -> NativeLibraries.parseLdd(printed, FILE))
                .isInstanceOf(IOException.class).hasMessageContaining("libX11.so.6").hasMessageContaining(FILE.toString());
    }

    @Test
    void javaLauncherNeedsTheCLibraryAndTheLoaderFromTheSystemAndNothingOfItsOwnHome(@TempDir Path home)
            throws IOException {
        // The launcher and the library it finds beside itself ($ORIGIN/../lib), as in any runtime.
        Path jdk = Path.of(System.getProperty("java.home"));
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.copy(jdk.resolve("bin/java"), home.resolve("bin/java"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(jdk.resolve("lib/libjli.so"), home.resolve("lib/libjli.so"), StandardCopyOption.COPY_ATTRIBUTES);

        NativeLibraries libraries = NativeLibraries.of(home);

        assertThat(libraries.paths()).allMatch(Path::isAbsolute)
                .noneMatch(path -> path.startsWith(home))
                .anyMatch(path -> path.getFileName().toString().startsWith("libc.so"))
                .anyMatch(path -> path.getFileName().toString().startsWith("ld-linux"))
                .noneMatch(path -> path.getFileName().toString().equals("libjli.so"));
    }
}
