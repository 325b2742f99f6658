package dev.berth.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream of a stored object that can fill a buffer itself. Given a direct buffer, bytes go from the file to the
 * socket without being copied through a Java array on the way, which a blob GET of gigabytes notices.
 */
public interface BufferReadable {

    /**
     * Reads up to {@code into.remaining()} bytes into {@code into}, advancing its position; returns how many, or
     * -1 at the end of the stream.
     */
    int read(ByteBuffer into) throws IOException;
}
