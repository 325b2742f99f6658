package dev.berth.registry.digest;

import java.security.MessageDigest;
import java.util.Random;

/**
 * Measures hashing throughput by hand (not a test: surefire does not run {@code *Probe}, and unit tests never
 * assert on time). Run with the test classpath, {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED},
 * and optionally the GiB to hash per variant and the algorithm id ({@code sha256} or {@code sha512}).
 */
public final class ResumableDigestThroughputProbe {
    private static final int UPDATE = 1 << 20;
    private static final long RESUME_EVERY = 8L << 20;

    private ResumableDigestThroughputProbe() {
    }

    /** Prints MB/s for MessageDigest, JdkSha2Digest, PortableSha2Digest and JdkSha2Digest resumed every 8 MiB. */
    public static void main(String[] args) throws Exception {
        long total = (long) (Double.parseDouble(args.length > 0 ? args[0] : "2") * (1L << 30));
        DigestAlgorithm a = DigestAlgorithm.byId(args.length > 1 ? args[1] : "sha256").orElseThrow();
        byte[] buf = new byte[UPDATE];
        new Random(1).nextBytes(buf);
        System.out.printf("%s, %s, %d MiB per variant in %d KiB updates, selected: %s%n",
                Runtime.version(), a.jdkName(), total >> 20, UPDATE >> 10, ResumableDigest.implementation());
        for (int round = 0; round < 2; round++) {
            // The first round warms up the JIT and is reported too, so that a cold start is visible.
            String label = round == 0 ? "warm-up " : "measured";
            report(label, "MessageDigest", total, () -> {
                MessageDigest md = MessageDigest.getInstance(a.jdkName());
                for (long done = 0; done < total; done += UPDATE) {
                    md.update(buf, 0, UPDATE);
                }
                return md.digest()[0];
            });
            if (JdkSha2Digest.available()) {
                report(label, "JdkSha2Digest", total, () -> run(JdkSha2Digest.start(a), buf, total, false));
                report(label, "JdkSha2Digest + state/resume every 8 MiB", total,
                        () -> run(JdkSha2Digest.start(a), buf, total, true));
            }
            report(label, "PortableSha2Digest", total, () -> run(PortableSha2Digest.start(a), buf, total, false));
        }
    }

    private static byte run(ResumableDigest d, byte[] buf, long total, boolean resume) {
        for (long done = 0; done < total; ) {
            d.update(buf, 0, buf.length);
            done += buf.length;
            if (resume && done % RESUME_EVERY == 0) {
                d = ResumableDigest.resume(d.state());
            }
        }
        return (byte) d.digest().hex().charAt(0);
    }

    private static void report(String label, String name, long total, Run run) throws Exception {
        long start = System.nanoTime();
        byte sink = run.hash();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s %-42s %8.0f MB/s  (%.2f s)%s%n", label, name, total / seconds / 1e6, seconds,
                sink == 0x7f ? " " : "");
    }

    /** One timed hashing run; returns a byte of the result so that the work cannot be optimized away. */
    private interface Run {
        byte hash() throws Exception;
    }
}
