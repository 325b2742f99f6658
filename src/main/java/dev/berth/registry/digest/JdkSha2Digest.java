package dev.berth.registry.digest;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.security.MessageDigestSpi;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A resumable SHA-256/SHA-512 that drives the JDK's own {@code sun.security.provider} digests, so it
 * runs at {@link java.security.MessageDigest} speed (with the SHA-NI intrinsic), and reads and writes
 * their running state through the internal fields of {@code DigestBase}, {@code SHA2} and {@code SHA5}.
 *
 * <p>Needs {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED} (the jar manifest's
 * {@code Add-Opens} gives it to {@code java -jar}); without it {@link #available()} is false.
 * The names were checked on JDK 17 and 25 ({@code buffer}, {@code bufOfs}, {@code bytesProcessed},
 * {@code state}, {@code engineUpdate}, {@code engineDigest}, {@code implCompress}); {@link ResumableDigest#start}
 * only uses this class after a self-test against {@code MessageDigest} and {@link PortableSha2Digest} passes.
 */
public final class JdkSha2Digest implements ResumableDigest {
    private static final String PACKAGE = "sun.security.provider.";

    // The handles are static finals so that the JIT treats them as constants and the hot path is a direct call.
    private static final MethodHandle NEW_SHA256;
    private static final MethodHandle NEW_SHA512;
    private static final MethodHandle ENGINE_UPDATE;
    private static final MethodHandle ENGINE_DIGEST;
    private static final MethodHandle IMPL_COMPRESS;
    private static final VarHandle BUFFER;
    private static final VarHandle BUF_OFS;
    private static final VarHandle BYTES_PROCESSED;
    private static final VarHandle STATE_256;
    private static final VarHandle STATE_512;
    private static final String UNAVAILABLE;

    static {
        Handles h = null;
        String why = null;
        try {
            h = Handles.find();
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        NEW_SHA256 = h == null ? null : h.newSha256();
        NEW_SHA512 = h == null ? null : h.newSha512();
        ENGINE_UPDATE = h == null ? null : h.engineUpdate();
        ENGINE_DIGEST = h == null ? null : h.engineDigest();
        IMPL_COMPRESS = h == null ? null : h.implCompress();
        BUFFER = h == null ? null : h.buffer();
        BUF_OFS = h == null ? null : h.bufOfs();
        BYTES_PROCESSED = h == null ? null : h.bytesProcessed();
        STATE_256 = h == null ? null : h.state256();
        STATE_512 = h == null ? null : h.state512();
        UNAVAILABLE = why;
    }

    private final DigestAlgorithm algorithm;
    private final MessageDigestSpi spi;

    private JdkSha2Digest(DigestAlgorithm algorithm, MessageDigestSpi spi) {
        this.algorithm = algorithm;
        this.spi = spi;
    }

    /** True when the JDK's internal digest classes and fields could be reached. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why the JDK's internals could not be reached, or empty when {@link #available()}. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    /** Starts a digest of the empty message; throws IllegalStateException when not {@link #available()}. */
    public static JdkSha2Digest start(DigestAlgorithm algorithm) {
        return new JdkSha2Digest(algorithm, newSpi(algorithm));
    }

    /** Restores a digest from a state written by either implementation; throws IllegalArgumentException for an invalid state. */
    public static JdkSha2Digest resume(byte[] state) {
        return restore(Sha2State.decode(state));
    }

    /** Restores a digest from a parsed state. */
    static JdkSha2Digest restore(Sha2State s) {
        MessageDigestSpi spi = newSpi(s.algorithm());
        if (s.algorithm() == DigestAlgorithm.SHA256) {
            int[] h = (int[]) STATE_256.get(spi);
            for (int i = 0; i < 8; i++) {
                h[i] = (int) s.words()[i];
            }
        } else {
            long[] h = (long[]) STATE_512.get(spi);
            System.arraycopy(s.words(), 0, h, 0, 8);
        }
        System.arraycopy(s.partial(), 0, (byte[]) BUFFER.get(spi), 0, s.partial().length);
        BUF_OFS.set(spi, s.partial().length);
        BYTES_PROCESSED.set(spi, s.length());
        return new JdkSha2Digest(s.algorithm(), spi);
    }

    @Override
    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public void update(byte[] b, int off, int len) {
        try {
            ENGINE_UPDATE.invokeExact(spi, b, off, len);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("JDK digest update failed", t);
        }
    }

    @Override
    public long length() {
        return (long) BYTES_PROCESSED.get(spi);
    }

    @Override
    public byte[] state() {
        long length = length();
        int blockSize = Sha2State.blockSize(algorithm);
        int partialLength = (int) BUF_OFS.get(spi);
        if (partialLength == blockSize && length % blockSize == 0) {
            compressFullBuffer();
            partialLength = 0;
        }
        if (partialLength != length % blockSize) {
            // DigestBase buffers length mod blockSize bytes (or one full block); anything else means its internals changed.
            throw new IllegalStateException("JDK digest internals changed: " + partialLength + " buffered bytes after " + length);
        }
        long[] words = new long[8];
        if (algorithm == DigestAlgorithm.SHA256) {
            int[] h = (int[]) STATE_256.get(spi);
            for (int i = 0; i < 8; i++) {
                words[i] = h[i] & 0xffffffffL;
            }
        } else {
            System.arraycopy((long[]) STATE_512.get(spi), 0, words, 0, 8);
        }
        byte[] partial = new byte[partialLength];
        System.arraycopy((byte[]) BUFFER.get(spi), 0, partial, 0, partialLength);
        return new Sha2State(algorithm, length, words, partial).encode();
    }

    /**
     * Compresses a full block that DigestBase left in its buffer, exactly as its next update would; the C2
     * intrinsic for SHA-512's multi-block compression (JDK 25, x86-64) stops one block short and leaves it there.
     */
    private void compressFullBuffer() {
        try {
            IMPL_COMPRESS.invokeExact(spi, (byte[]) BUFFER.get(spi), 0);
            BUF_OFS.set(spi, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("JDK digest could not compress its buffered block", t);
        }
    }

    @Override
    public Digest digest() {
        try {
            // Finishing resets the JDK digest, so a clone is finished instead of the running one.
            MessageDigestSpi copy = (MessageDigestSpi) spi.clone();
            byte[] hash = (byte[]) ENGINE_DIGEST.invokeExact(copy);
            return new Digest(algorithm, HexFormat.of().formatHex(hash));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("JDK digest could not be finished", t);
        }
    }

    @Override
    public String toString() {
        return "JdkSha2Digest[" + algorithm.id() + ", length=" + length() + "]";
    }

    private static MessageDigestSpi newSpi(DigestAlgorithm algorithm) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("the JDK's SHA-2 internals are not reachable: " + UNAVAILABLE);
        }
        try {
            return algorithm == DigestAlgorithm.SHA256
                    ? (MessageDigestSpi) NEW_SHA256.invokeExact()
                    : (MessageDigestSpi) NEW_SHA512.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("JDK digest could not be created", t);
        }
    }

    /** The handles found once at class initialization; a record so that they can be found in one throwing step. */
    private record Handles(MethodHandle newSha256, MethodHandle newSha512, MethodHandle engineUpdate,
                           MethodHandle engineDigest, MethodHandle implCompress, VarHandle buffer,
                           VarHandle bufOfs, VarHandle bytesProcessed, VarHandle state256, VarHandle state512) {

        static Handles find() throws ReflectiveOperationException {
            Class<?> digestBase = Class.forName(PACKAGE + "DigestBase");
            Class<?> sha2 = Class.forName(PACKAGE + "SHA2");
            Class<?> sha5 = Class.forName(PACKAGE + "SHA5");
            Class<?> sha256 = Class.forName(PACKAGE + "SHA2$SHA256");
            Class<?> sha512 = Class.forName(PACKAGE + "SHA5$SHA512");
            // Private members are only reachable from a lookup in their own class, so each class gets its own.
            MethodHandles.Lookup base = MethodHandles.privateLookupIn(digestBase, MethodHandles.lookup());
            MethodHandles.Lookup in2 = MethodHandles.privateLookupIn(sha2, MethodHandles.lookup());
            MethodHandles.Lookup in5 = MethodHandles.privateLookupIn(sha5, MethodHandles.lookup());
            MethodType newSpi = MethodType.methodType(MessageDigestSpi.class);
            return new Handles(
                    base.findConstructor(sha256, MethodType.methodType(void.class)).asType(newSpi),
                    base.findConstructor(sha512, MethodType.methodType(void.class)).asType(newSpi),
                    base.findVirtual(digestBase, "engineUpdate",
                                    MethodType.methodType(void.class, byte[].class, int.class, int.class))
                            .asType(MethodType.methodType(void.class, MessageDigestSpi.class, byte[].class, int.class, int.class)),
                    base.findVirtual(digestBase, "engineDigest", MethodType.methodType(byte[].class))
                            .asType(MethodType.methodType(byte[].class, MessageDigestSpi.class)),
                    base.findVirtual(digestBase, "implCompress",
                                    MethodType.methodType(void.class, byte[].class, int.class))
                            .asType(MethodType.methodType(void.class, MessageDigestSpi.class, byte[].class, int.class)),
                    base.findVarHandle(digestBase, "buffer", byte[].class),
                    base.findVarHandle(digestBase, "bufOfs", int.class),
                    base.findVarHandle(digestBase, "bytesProcessed", long.class),
                    in2.findVarHandle(sha2, "state", int[].class),
                    in5.findVarHandle(sha5, "state", long[].class));
        }
    }
}
