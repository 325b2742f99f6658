package dev.berth.registry.digest;

import java.util.function.Function;

/** The two resumable SHA-2 implementations, so that every test runs against both. */
enum Implementation {
    JDK(JdkSha2Digest::start, JdkSha2Digest::resume),
    PORTABLE(PortableSha2Digest::start, PortableSha2Digest::resume);

    private final Function<DigestAlgorithm, ResumableDigest> start;
    private final Function<byte[], ResumableDigest> resume;

    Implementation(Function<DigestAlgorithm, ResumableDigest> start, Function<byte[], ResumableDigest> resume) {
        this.start = start;
        this.resume = resume;
    }

    ResumableDigest start(DigestAlgorithm algorithm) {
        return start.apply(algorithm);
    }

    ResumableDigest resume(byte[] state) {
        return resume.apply(state);
    }
}
