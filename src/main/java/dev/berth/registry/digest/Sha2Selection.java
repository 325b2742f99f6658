package dev.berth.registry.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which resumable SHA-2 implementation {@link ResumableDigest#start} uses, decided once per process by a
 * self-test, so that a JDK whose internals changed falls back to the portable code instead of hashing wrongly.
 *
 * @param jdk true when {@link JdkSha2Digest} is used
 * @param implementation the simple class name of the implementation in use
 * @param reason why it was chosen, for the log
 */
record Sha2Selection(boolean jdk, String implementation, String reason) {
    private static final Logger LOG = LoggerFactory.getLogger(ResumableDigest.class);

    /** The choice for this process, made (and logged) when this class is first used. */
    static final Sha2Selection CURRENT = choose();

    private static Sha2Selection choose() {
        String failure = JdkSha2Digest.unavailableReason().orElseGet(Sha2Selection::selfTestFailure);
        Sha2Selection s;
        if (failure == null) {
            s = new Sha2Selection(true, JdkSha2Digest.class.getSimpleName(),
                    "the JDK's SHA-256/SHA-512 state export and import passed the self-test");
            LOG.info("Resumable SHA-2: using {} ({})", s.implementation, s.reason);
        } else {
            s = new Sha2Selection(false, PortableSha2Digest.class.getSimpleName(),
                    "the JDK's digest internals are unusable (" + failure + "); run with "
                            + "--add-opens java.base/sun.security.provider=ALL-UNNAMED to hash about 5x faster");
            LOG.warn("Resumable SHA-2: using {} because {}", s.implementation, s.reason);
        }
        return s;
    }

    /**
     * Hashes a vector in pieces with {@link JdkSha2Digest}, saving the state after every piece and resuming it
     * alternately in the JDK and the portable implementation, and compares both the states and the final digest
     * with {@link MessageDigest}; returns what went wrong, or null when all agree. It runs before the JIT has
     * compiled anything, so shapes that only compiled code leaves (a whole block buffered) are handled and tested
     * separately.
     */
    static String selfTestFailure() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 131 + 7);
        }
        // Cuts inside, on and just past the 64- and 128-byte block boundaries, and empty pieces.
        int[] cuts = {0, 0, 1, 55, 56, 64, 65, 111, 112, 128, 129, 200, 200, 256, 511, 640, 1000};
        try {
            for (DigestAlgorithm a : DigestAlgorithm.values()) {
                ResumableDigest jdk = JdkSha2Digest.start(a);
                ResumableDigest portable = PortableSha2Digest.start(a);
                for (int i = 1; i < cuts.length; i++) {
                    int off = cuts[i - 1];
                    int len = cuts[i] - off;
                    jdk.update(data, off, len);
                    portable.update(data, off, len);
                    byte[] state = jdk.state();
                    if (!Arrays.equals(state, portable.state())) {
                        return a.jdkName() + " state after " + cuts[i] + " bytes differs from the portable one";
                    }
                    jdk = i % 2 == 0 ? JdkSha2Digest.resume(state) : JdkSha2Digest.resume(PortableSha2Digest.resume(state).state());
                }
                String expected = HexFormat.of().formatHex(MessageDigest.getInstance(a.jdkName()).digest(data));
                // Asked twice, because finishing must not disturb the running state.
                Digest first = jdk.digest();
                Digest again = jdk.digest();
                if (!first.hex().equals(expected) || !again.equals(first)) {
                    return a.jdkName() + " of the resumed JDK digest differs from MessageDigest";
                }
            }
            return null;
        } catch (RuntimeException | NoSuchAlgorithmException e) {
            return "self-test failed with " + e;
        }
    }
}
