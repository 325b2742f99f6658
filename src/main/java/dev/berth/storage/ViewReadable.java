package dev.berth.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream of a stored object that can lend its next bytes as a read-only buffer over the stored bytes themselves
 * (a file mapped into memory), so that a socket takes them from the page cache without a copy into a buffer first.
 */
public interface ViewReadable extends BufferReadable {

    /**
     * Up to {@code max} next bytes of the stream, lent until closed, advancing the stream past them; empty at the end
     * of the stream, or null when none can be lent (the caller then reads through {@link #read(ByteBuffer)}, which
     * continues where the views stopped). The bytes are resident when lent, so reading them cannot fault on the
     * storage device.
     */
    View view(int max) throws IOException;

    /** Bytes lent by a {@link ViewReadable}; closing returns them, and the buffer must not be touched after that. */
    interface View extends AutoCloseable {
        /** No bytes: the end of the stream. */
        View EMPTY = new View() {
            @Override
            public ByteBuffer bytes() {
                return ByteBuffer.allocate(0).asReadOnlyBuffer();
            }

            @Override
            public void close() {}
        };

        /** The lent bytes, read-only. */
        ByteBuffer bytes();

        /**
         * Returns the bytes, to be unmapped at once or with others lent near the same time; a buffer still in use by
         * another thread when they are unmapped then fails that use safely.
         */
        @Override
        void close();
    }
}
