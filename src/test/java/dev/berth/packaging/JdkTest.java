package dev.berth.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkTest {
    @TempDir
    Path dir;

    @Test
    void runningJdkIsDescribedByItsReleaseFile() throws IOException {
        Jdk jdk = Jdk.at(Path.of(System.getProperty("java.home")));

        assertThat(jdk.feature()).isEqualTo(Runtime.version().feature());
        assertThat(jdk.modules()).contains("java.base", "java.net.http");
        assertThat(jdk.key()).hasSize(16);
        assertThat(jdk.ociArchitecture()).isIn("amd64", "arm64", "ppc64le", "s390x", "riscv64");
    }

    @Test
    void releaseFieldsLoseTheirQuotes() {
        assertThat(Jdk.releaseFields("JAVA_VERSION=\"21.0.5\"\nOS_ARCH=\"aarch64\"\n"))
                .containsEntry("JAVA_VERSION", "21.0.5").containsEntry("OS_ARCH", "aarch64");
    }

    @Test
    void directoryWithoutJlinkIsRefusedWithAHint() throws IOException {
        Files.createDirectories(dir.resolve("bin"));

        assertThatThrownBy(() -> Jdk.at(dir)).isInstanceOf(IOException.class).hasMessageContaining("jlink")
                .hasMessageContaining("--jdk");
    }
}
