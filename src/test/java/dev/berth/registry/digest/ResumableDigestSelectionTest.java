package dev.berth.registry.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins that the JDK implementation is chosen when the build's {@code --add-opens} is present, so that a JDK
 * upgrade that breaks it fails the build instead of silently hashing five times slower.
 */
class ResumableDigestSelectionTest {

    @Test
    void theJdkInternalsAreReachableWithTheOpensOfTheBuild() {
        assertThat(JdkSha2Digest.unavailableReason()).isEmpty();
        assertThat(JdkSha2Digest.available()).isTrue();
    }

    @Test
    void theSelfTestPassesOnThisJdk() {
        assertThat(Sha2Selection.selfTestFailure()).isNull();
    }

    @Test
    void theJdkImplementationIsSelectedWhenTheOpensArePresent() {
        assertThat(ResumableDigest.implementation()).isEqualTo("JdkSha2Digest");
        assertThat(ResumableDigest.start(DigestAlgorithm.SHA256)).isInstanceOf(JdkSha2Digest.class);
        assertThat(ResumableDigest.start(DigestAlgorithm.SHA512)).isInstanceOf(JdkSha2Digest.class);
        byte[] portableState = PortableSha2Digest.start(DigestAlgorithm.SHA256).state();
        assertThat(ResumableDigest.resume(portableState)).isInstanceOf(JdkSha2Digest.class);
    }
}
