package dev.berth.registry;

import java.io.InputStream;

/**
 * A chunk as a client sends it: the body, the length its headers declare, and its optional {@code Content-Range}.
 *
 * @param body the bytes, streamed
 * @param declaredLength the {@code Content-Length}, or -1 when the body is sent without one; a hint that lets a
 *     backend stream into one request, never trusted over the bytes that actually arrive
 * @param range the declared position in the blob, or null for a streamed append
 */
public record IncomingChunk(InputStream body, long declaredLength, ChunkRange range) {

    /** A streamed chunk of unknown length with no declared range. */
    public static IncomingChunk streamed(InputStream body) {
        return new IncomingChunk(body, -1, null);
    }
}
