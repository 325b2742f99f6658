package dev.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Maps windows of files with the foreign-memory API of JDK 22 and later, which unmaps windows when the views over them
 * are closed. Berth builds for Java 21, where that API is a preview, so it is reached by name; on Java 21 there is no
 * mapper and reads copy instead.
 *
 * <p>Plain {@link FileChannel#map(FileChannel.MapMode, long, long)} was measured and refused: its buffers are
 * unmapped only when the garbage collector finds them, and a server serving blobs allocates so little that served
 * gigabytes stayed mapped, growing the resident size and the mapping count towards the kernel's limit.
 *
 * <p>Windows are mapped into a shared arena per {@link Generation}, not one arena per window: closing a shared arena
 * is a handshake with every running thread, which at 16 concurrent GETs cost more than the copy it saved (1 MB pulls
 * fell from 2,088 to 1,293 MB/s). A generation takes windows until {@value #GENERATION_BYTES} bytes are mapped, and is
 * unmapped when its last view closes after that, or when none of its views has been open for the idle delay. So at
 * most that much stays mapped beyond the views in use (and the windows lent to a stalled client pin their own
 * generation), and nothing stays mapped on an idle server, where it would keep deleted blobs' disk space.
 */
final class FileMapper {
    /** Bytes mapped into one arena before windows go to a new one. */
    static final long GENERATION_BYTES = 64L * 1024 * 1024;

    private final MethodHandle ofShared;
    private final MethodHandle map;
    private final MethodHandle load;
    private final MethodHandle asByteBuffer;
    private final MethodHandle close;
    private final Executor idleCheck;

    /** The generation taking new windows, or null when none is open; guarded by {@code this}. */
    private Generation current;

    private FileMapper(MethodHandle ofShared, MethodHandle map, MethodHandle load, MethodHandle asByteBuffer,
            MethodHandle close, Duration idleDelay) {
        this.ofShared = ofShared;
        this.map = map;
        this.load = load;
        this.asByteBuffer = asByteBuffer;
        this.close = close;
        this.idleCheck = CompletableFuture.delayedExecutor(idleDelay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The mapper of this JDK, unmapping an unused generation after a second; empty on Java 21. */
    static Optional<FileMapper> ofThisJdk() {
        return ofThisJdk(Duration.ofSeconds(1));
    }

    /**
     * The mapper of this JDK, or empty where the foreign-memory API is not final (Java 21); a generation none of whose
     * views is open is unmapped after {@code idleDelay}.
     */
    static Optional<FileMapper> ofThisJdk(Duration idleDelay) {
        if (Runtime.version().feature() < 22) {
            return Optional.empty();
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            return Optional.of(new FileMapper(
                    lookup.findStatic(arena, "ofShared", MethodType.methodType(arena)),
                    lookup.findVirtual(FileChannel.class, "map",
                            MethodType.methodType(segment, FileChannel.MapMode.class, long.class, long.class, arena)),
                    lookup.findVirtual(segment, "load", MethodType.methodType(void.class)),
                    lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class)),
                    lookup.findVirtual(arena, "close", MethodType.methodType(void.class)),
                    idleDelay));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /** {@code length} bytes of {@code channel} from {@code position}, mapped read-only and made resident. */
    ViewReadable.View map(FileChannel channel, long position, long length) throws IOException {
        Generation generation = lease(length);
        boolean lent = false;
        try {
            Object segment = invoke(
                    () -> map.invoke(channel, FileChannel.MapMode.READ_ONLY, position, length, generation.arena));
            try {
                // Touching every page now turns a failing device (or a file truncated behind the store's back) into
                // an exception here; the same fault inside a checksum intrinsic would stop the JVM.
                invoke(() -> load.invoke(segment));
            } catch (InternalError e) {
                throw new IOException("reading the mapped file failed: " + e.getMessage(), e);
            }
            ByteBuffer bytes = ((ByteBuffer) invoke(() -> asByteBuffer.invoke(segment))).asReadOnlyBuffer();
            lent = true;
            return new ViewReadable.View() {
                private boolean closed;

                @Override
                public ByteBuffer bytes() {
                    return bytes;
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        release(generation);
                    }
                }
            };
        } finally {
            if (!lent) {
                release(generation);
            }
        }
    }

    /** The generation a window of {@code length} bytes goes into, with one more lease on it. */
    private synchronized Generation lease(long length) throws IOException {
        if (current == null || current.mapped >= GENERATION_BYTES) {
            // A full generation is still leased here (its last release would have unmapped it) and is unmapped by
            // the last of those.
            current = new Generation(invoke(() -> ofShared.invoke()));
        }
        current.mapped += length;
        current.leases++;
        return current;
    }

    /**
     * Gives a lease back. The last one of a full generation unmaps it; the last one of the generation still taking
     * windows leaves it mapped for the next GET, but asks for a check after the idle delay.
     */
    private void release(Generation generation) {
        synchronized (this) {
            if (--generation.leases > 0) {
                return;
            }
            if (generation == current) {
                if (generation.mapped < GENERATION_BYTES) {
                    if (!generation.checkPending) {
                        generation.checkPending = true;
                        idleCheck.execute(() -> unmapIfUnused(generation));
                    }
                    return;
                }
                current = null;
            }
        }
        unmap(generation);
    }

    private void unmapIfUnused(Generation generation) {
        synchronized (this) {
            generation.checkPending = false;
            if (generation != current || generation.leases > 0) {
                return; // in use again (its next last release asks again), or full (its last release unmaps it)
            }
            current = null;
        }
        unmap(generation);
    }

    private void unmap(Generation generation) {
        try {
            invoke(() -> close.invoke(generation.arena));
        } catch (IOException e) {
            throw new UncheckedIOException("unmapping views failed", e);
        }
    }

    /** One shared arena and the windows mapped into it; its counters are guarded by the mapper. */
    private static final class Generation {
        private final Object arena;
        private long mapped;
        private int leases;
        private boolean checkPending;

        Generation(Object arena) {
            this.arena = arena;
        }
    }

    private interface Call {
        Object call() throws Throwable;
    }

    /** Calls a handle, passing on what the call may throw: I/O failures, runtime exceptions and errors. */
    private static Object invoke(Call call) throws IOException {
        try {
            return call.call();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }
}
