package dev.berth.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing responses: an OCI error body (a missing manifest, as every pull of an unknown tag answers), the
 * exception that carries it (whose stack trace is most of its cost), and tag-list pages of 100 and 10,000 tags.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseWritingBenchmark {
    RegistryException missing;
    Map<String, Object> page100;
    Map<String, Object> page10000;

    @Setup
    public void setUp() {
        missing = new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown", Map.of("tag", "v1.2.3"));
        page100 = page(100);
        page10000 = page(10_000);
    }

    private static Map<String, Object> page(int tags) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tags; i++) {
            names.add(String.format("t%07d", i));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "team/app");
        body.put("tags", names);
        return body;
    }

    @Benchmark
    public byte[] errorBody() {
        return Responses.errorBody(missing.errors());
    }

    @Benchmark
    public byte[] errorWithNewException() {
        RegistryException e = new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown",
                Map.of("tag", "v1.2.3"));
        return Responses.errorBody(e.errors());
    }

    @Benchmark
    public byte[] tagPage100() throws Exception {
        return Responses.JSON.writeValueAsBytes(page100);
    }

    @Benchmark
    public byte[] tagPage10000() throws Exception {
        return Responses.JSON.writeValueAsBytes(page10000);
    }
}
