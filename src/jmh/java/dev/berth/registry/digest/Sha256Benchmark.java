package dev.berth.registry.digest;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of resumability: one operation is one 8 MiB chunk of an upload, hashed in updates of
 * {@code updateSize} bytes. The resumable digests first restore the state saved after the previous chunk and save
 * it again afterwards, as UploadService does per PATCH; the plain MessageDigest only hashes.
 * Divide 8.39 MB by the time per operation for the throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/sun.security.provider=ALL-UNNAMED")
public class Sha256Benchmark {
    static final int CHUNK = 8 << 20;

    @Param({"65536", "262144", "1048576"})
    int updateSize;

    byte[] data;
    byte[] jdkState;
    byte[] portableState;

    @Setup
    public void setUp() {
        data = new byte[CHUNK];
        new SplittableRandom(1).nextBytes(data);
        // The state after a first chunk, so that every measured chunk continues an upload.
        JdkSha2Digest jdk = JdkSha2Digest.start(DigestAlgorithm.SHA256);
        jdk.update(data, 0, data.length);
        jdkState = jdk.state();
        PortableSha2Digest portable = PortableSha2Digest.start(DigestAlgorithm.SHA256);
        portable.update(data, 0, data.length);
        portableState = portable.state();
    }

    @Benchmark
    public byte[] messageDigest() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int off = 0; off < CHUNK; off += updateSize) {
            md.update(data, off, updateSize);
        }
        return md.digest();
    }

    @Benchmark
    public byte[] jdkResumable() {
        JdkSha2Digest digest = JdkSha2Digest.resume(jdkState);
        for (int off = 0; off < CHUNK; off += updateSize) {
            digest.update(data, off, updateSize);
        }
        return digest.state();
    }

    @Benchmark
    public byte[] portableResumable() {
        PortableSha2Digest digest = PortableSha2Digest.resume(portableState);
        for (int off = 0; off < CHUNK; off += updateSize) {
            digest.update(data, off, updateSize);
        }
        return digest.state();
    }

    /** What completing an upload costs on top: restoring the state and finishing the digest. */
    @Benchmark
    public Digest jdkResumeAndFinish() {
        return JdkSha2Digest.resume(jdkState).digest();
    }
}
