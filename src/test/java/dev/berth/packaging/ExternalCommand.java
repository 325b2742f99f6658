package dev.berth.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A program run to completion (jdeps, jlink, ldd) whose output is returned, or shown in the error when it fails. */
record ExternalCommand(List<String> argv, Map<String, String> environment) {
    ExternalCommand {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /** The command with no extra environment. */
    static ExternalCommand of(String... argv) {
        return new ExternalCommand(List.of(argv), Map.of());
    }

    /** Runs it and returns its standard output; a non-zero exit is an IOException carrying what it printed. */
    String run() throws IOException {
        // A file rather than a pipe for the output: a chatty tool can never block on a full pipe.
        Path output = Files.createTempFile("berth-image-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(output.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            int exit;
            try {
                exit = process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", argv), e);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IOException(String.join(" ", argv) + " failed with exit code " + exit + ":\n" + printed);
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
