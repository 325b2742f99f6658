package dev.berth.registry.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shapes the JDK's DigestBase can be in besides "length mod blockSize bytes buffered": once C2 compiles the
 * SHA-512 multi-block intrinsic (JDK 25, x86-64) it leaves the last whole block in the buffer, uncompressed.
 */
class JdkSha2DigestInternalsTest {

    @ParameterizedTest
    @EnumSource(DigestAlgorithm.class)
    void aWholeBlockLeftInTheBufferIsCompressedBeforeTheStateIsSaved(DigestAlgorithm algorithm) throws Exception {
        int block = Sha2State.blockSize(algorithm);
        byte[] data = new byte[5 * block + 17];
        new Random(0xBE27_0008L).nextBytes(data);
        // Simulated on a fresh digest, since a real update may already leave this shape once the JIT has warmed up.
        JdkSha2Digest d = JdkSha2Digest.start(algorithm);
        leaveWholeBlockBuffered(d, data, 0, block);
        PortableSha2Digest reference = PortableSha2Digest.start(algorithm);
        reference.update(data, 0, block);

        assertThat(d.length()).isEqualTo(block);
        assertThat(d.digest().hex()).isEqualTo(messageDigest(algorithm, data, block));
        assertThat(d.state()).isEqualTo(reference.state());
        d.update(data, block, data.length - block);
        assertThat(d.digest().hex()).isEqualTo(messageDigest(algorithm, data, data.length));
    }

    @Test
    void sha512StatesStayCanonicalOnceTheJitCompilesTheIntrinsic() {
        byte[] data = new byte[1024];
        new Random(0xBE27_0009L).nextBytes(data);
        JdkSha2Digest d = JdkSha2Digest.start(DigestAlgorithm.SHA512);
        PortableSha2Digest reference = PortableSha2Digest.start(DigestAlgorithm.SHA512);
        // About 10^5 updates is several times what C2 needed here to compile the multi-block path.
        for (int i = 1; i <= 150_000; i++) {
            d.update(data, 0, data.length);
            reference.update(data, 0, data.length);
            byte[] state = d.state();
            if (i % 1000 == 0) {
                assertThat(state).as("state after %d updates", i).isEqualTo(reference.state());
                d = JdkSha2Digest.resume(state);
            }
        }
        assertThat(d.digest()).isEqualTo(reference.digest());
    }

    /** Puts a fresh {@code d} in the shape the intrinsic leaves: one whole block read but only buffered. */
    private static void leaveWholeBlockBuffered(JdkSha2Digest d, byte[] data, int off, int block) throws Exception {
        Field field = JdkSha2Digest.class.getDeclaredField("spi");
        field.setAccessible(true);
        MessageDigestSpi spi = (MessageDigestSpi) field.get(d);
        Class<?> base = Class.forName("sun.security.provider.DigestBase");
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
        VarHandle buffer = lookup.findVarHandle(base, "buffer", byte[].class);
        VarHandle bufOfs = lookup.findVarHandle(base, "bufOfs", int.class);
        VarHandle bytesProcessed = lookup.findVarHandle(base, "bytesProcessed", long.class);
        System.arraycopy(data, off, (byte[]) buffer.get(spi), 0, block);
        bufOfs.set(spi, block);
        bytesProcessed.set(spi, (long) block);
    }

    private static String messageDigest(DigestAlgorithm algorithm, byte[] data, int length) throws Exception {
        MessageDigest md = MessageDigest.getInstance(algorithm.jdkName());
        md.update(data, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }
}
