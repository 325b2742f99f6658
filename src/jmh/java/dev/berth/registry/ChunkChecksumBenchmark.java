package dev.berth.registry;

import dev.berth.registry.digest.Crc32c;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.ResumableDigest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
 * Per-chunk checksums of an upload, one 8 MiB chunk per operation: the CRC32C alone, the MD5 a Swift ETag needs,
 * and the stream UploadService reads a chunk through (running SHA-256 and CRC32C together, with the state saved at
 * the end). Also the CRC32C combination that checks an assembled blob against its chunks without reading it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/sun.security.provider=ALL-UNNAMED")
public class ChunkChecksumBenchmark {
    static final int CHUNK = 8 << 20;
    /** The copy buffer RegistryHandler streams request bodies with. */
    static final int BUFFER = 256 * 1024;

    byte[] data;
    byte[] buffer;
    byte[] state;
    long[] chunkCrcs;

    @Setup
    public void setUp() {
        data = new byte[CHUNK];
        new SplittableRandom(2).nextBytes(data);
        buffer = new byte[BUFFER];
        ResumableDigest digest = ResumableDigest.start(DigestAlgorithm.SHA256);
        digest.update(data, 0, data.length);
        state = digest.state();
        chunkCrcs = new long[640]; // a 5 GiB blob in 8 MiB chunks
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < chunkCrcs.length; i++) {
            chunkCrcs[i] = random.nextLong() >>> 32;
        }
    }

    @Benchmark
    public long crc32c() {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length);
        return crc.getValue();
    }

    @Benchmark
    public byte[] md5() throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        md.update(data, 0, data.length);
        return md.digest();
    }

    /** UploadService's per-chunk work on the data: the chunk through DigestingInputStream, then the state saved. */
    @Benchmark
    public byte[] uploadChunkStream() throws IOException {
        ResumableDigest digest = ResumableDigest.resume(state);
        try (DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(data), digest)) {
            while (in.read(buffer, 0, buffer.length) > 0) {
                // the store would write the bytes here
            }
            return digest.state();
        }
    }

    /** The CRC32C of a 640-chunk blob from its chunks' CRC32Cs, as publishing checks it. */
    @Benchmark
    public long combine640Chunks() {
        long combined = 0;
        for (long crc : chunkCrcs) {
            combined = Crc32c.combine(combined, crc, CHUNK);
        }
        return combined;
    }
}
