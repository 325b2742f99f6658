package dev.berth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Everything one {@code berth bench} run measured, as written to {@code --output}. */
public record BenchReport(
        String tool,
        String url,
        String started,
        Map<String, Object> client,
        Map<String, Object> options,
        Map<String, FixturePreparer.Prepared> fixtures,
        List<RunResult> results) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The sum of failed operations over all runs. */
    public long errors() {
        return results.stream().mapToLong(RunResult::errors).sum();
    }

    /** Writes the report as JSON to {@code file}, creating its directory. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads a report written by {@link #write}. */
    public static BenchReport read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), BenchReport.class);
    }
}
