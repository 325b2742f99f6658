package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./berth} launcher's refusals, which all happen before it would build or run anything, so these
 * need neither Maven nor a network. A fake {@code java} stands in for each JDK version.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("berth").toAbsolutePath();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsBash() {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "bash is not installed");
        assertThat(SCRIPT).isExecutable();
    }

    private record Run(int code, String stdout, String stderr) {}

    /** A {@code java} that prints {@code versionLine} as {@code java -version} does, on stderr. */
    private Path fakeJava(String versionLine) throws IOException {
        Path java = dir.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\necho '" + versionLine + "' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private Run berth(String berthJava, String... args) throws Exception {
        ProcessBuilder process = new ProcessBuilder("bash", SCRIPT.toString());
        process.command().addAll(java.util.List.of(args));
        process.environment().put("BERTH_JAVA", berthJava);
        process.directory(dir.toFile());
        Process p = process.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void javaSeventeenIsRefusedWithAClearMessage() throws Exception {
        Path java = fakeJava("openjdk version \"17.0.15\" 2025-04-15");
        Run run = berth(java.toString(), "--version");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEqualTo("Berth needs a JDK 21 or newer; found: BERTH_JAVA " + java
                + " (Java 17); install one or set JAVA_HOME (or BERTH_JAVA) to it\n");
    }

    @Test
    void oldStyleVersionNumbersAreReadAsTheirMajorVersion() throws Exception {
        Path java = fakeJava("java version \"1.8.0_401\"");
        assertThat(berth(java.toString(), "serve").stderr()).contains("(Java 8)");
    }

    @Test
    void aJavaThatDoesNotSayItsVersionIsRefused() throws Exception {
        Path java = fakeJava("something else entirely");
        Run run = berth(java.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.stderr()).contains(java + " (does not say its version)");
    }

    @Test
    void aJdksReleaseFileGivesItsVersionWithoutStartingIt() throws Exception {
        Path java = fakeJava("openjdk version \"25.0.3\" 2026-04-21");
        Files.writeString(java.getParent().getParent().resolve("release"),
                "IMPLEMENTOR=\"Example\"\nJAVA_VERSION=\"17.0.15\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6\"\n");
        Run run = berth(java.toString(), "--version");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.stderr()).contains(java + " (Java 17)");
    }

    @Test
    void aMissingJavaIsNamed() throws Exception {
        Run run = berth("/nonexistent/bin/java", "--version");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.stderr()).contains("BERTH_JAVA /nonexistent/bin/java (no such program)");
    }
}
