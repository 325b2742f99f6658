package dev.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Maps windows of files with the foreign-memory API of JDK 22 and later, which unmaps a window the moment its view is
 * closed. Berth builds for Java 21, where that API is a preview, so it is reached by name; on Java 21 there is no
 * mapper and reads copy instead.
 *
 * <p>Plain {@link FileChannel#map(FileChannel.MapMode, long, long)} was measured and refused: its buffers are
 * unmapped only when the garbage collector finds them, and a server serving blobs allocates so little that served
 * gigabytes stayed mapped, growing the resident size and the mapping count towards the kernel's limit.
 */
final class FileMapper {
    private final MethodHandle ofShared;
    private final MethodHandle map;
    private final MethodHandle load;
    private final MethodHandle asByteBuffer;
    private final MethodHandle close;

    private FileMapper(MethodHandle ofShared, MethodHandle map, MethodHandle load, MethodHandle asByteBuffer,
            MethodHandle close) {
        this.ofShared = ofShared;
        this.map = map;
        this.load = load;
        this.asByteBuffer = asByteBuffer;
        this.close = close;
    }

    /** The mapper of this JDK, or empty where the foreign-memory API is not final (Java 21). */
    static Optional<FileMapper> ofThisJdk() {
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
                    lookup.findVirtual(arena, "close", MethodType.methodType(void.class))));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /** {@code length} bytes of {@code channel} from {@code position}, mapped read-only and made resident. */
    ViewReadable.View map(FileChannel channel, long position, long length) throws IOException {
        Object arena = invoke(() -> ofShared.invoke());
        boolean lent = false;
        try {
            Object segment = invoke(() -> map.invoke(channel, FileChannel.MapMode.READ_ONLY, position, length, arena));
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
                @Override
                public ByteBuffer bytes() {
                    return bytes;
                }

                @Override
                public void close() {
                    closeArena(arena);
                }
            };
        } finally {
            if (!lent) {
                closeArena(arena);
            }
        }
    }

    private void closeArena(Object arena) {
        try {
            invoke(() -> close.invoke(arena));
        } catch (IOException e) {
            throw new UncheckedIOException("unmapping a view failed", e);
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
