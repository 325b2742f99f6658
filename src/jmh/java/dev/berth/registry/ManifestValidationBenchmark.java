package dev.berth.registry;

import java.nio.charset.StandardCharsets;
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
 * Parsing and validating what a manifest PUT carries: an OCI image manifest of a typical application image (a
 * config, eight layers, annotations; about 2.4 KB) and an OCI index of six platforms with attestations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ManifestValidationBenchmark {
    static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";

    ManifestValidator validator;
    byte[] image;
    byte[] index;

    @Setup
    public void setUp() {
        validator = new ManifestValidator();
        image = imageManifest().getBytes(StandardCharsets.UTF_8);
        index = imageIndex().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public ParsedManifest imageManifest1() {
        return validator.validate(image, IMAGE);
    }

    @Benchmark
    public ParsedManifest index6Platforms() {
        return validator.validate(index, INDEX);
    }

    private static String digest(int i) {
        return "sha256:" + String.format("%064x", 0x1234_5678_9abcL * (i + 1));
    }

    static String imageManifest() {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"").append(IMAGE).append("\",\n");
        b.append("  \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": \"")
                .append(digest(0)).append("\", \"size\": 7023},\n  \"layers\": [\n");
        for (int i = 1; i <= 8; i++) {
            b.append("    {\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"digest\": \"")
                    .append(digest(i)).append("\", \"size\": ").append(1_000_000L * i * 7).append("}")
                    .append(i < 8 ? ",\n" : "\n");
        }
        b.append("  ],\n  \"annotations\": {\"org.opencontainers.image.created\": \"2025-01-01T00:00:00Z\", ")
                .append("\"org.opencontainers.image.source\": \"https://example.org/app\", ")
                .append("\"org.opencontainers.image.revision\": \"0123456789abcdef0123456789abcdef01234567\"}\n}\n");
        return b.toString();
    }

    static String imageIndex() {
        String[][] platforms = {{"amd64", ""}, {"arm64", "v8"}, {"arm", "v7"}, {"ppc64le", ""}, {"s390x", ""},
                {"riscv64", ""}};
        StringBuilder b = new StringBuilder();
        b.append("{\"schemaVersion\":2,\"mediaType\":\"").append(INDEX).append("\",\"manifests\":[");
        for (int i = 0; i < platforms.length; i++) {
            b.append(i > 0 ? "," : "").append("{\"mediaType\":\"").append(IMAGE).append("\",\"digest\":\"")
                    .append(digest(20 + i)).append("\",\"size\":2401,\"platform\":{\"architecture\":\"")
                    .append(platforms[i][0]).append("\",\"os\":\"linux\"")
                    .append(platforms[i][1].isEmpty() ? "" : ",\"variant\":\"" + platforms[i][1] + "\"").append("}}");
            b.append(",{\"mediaType\":\"").append(IMAGE).append("\",\"digest\":\"").append(digest(40 + i))
                    .append("\",\"size\":840,\"annotations\":{\"vnd.docker.reference.digest\":\"")
                    .append(digest(20 + i)).append("\",\"vnd.docker.reference.type\":\"attestation-manifest\"},")
                    .append("\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}");
        }
        b.append("]}");
        return b.toString();
    }
}
