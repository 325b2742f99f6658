package dev.berth.bench;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * One kept-alive HTTP/1.1 connection, used by one thread at a time: writes a request, reads the response. Written
 * for the benchmark rather than taken from a library, because a load generator must cost far less per request
 * than the server it measures: a request is one write of prepared bytes (and the body), a response one or two
 * reads into a reused buffer, with the body counted and dropped unless it is asked for.
 */
final class HttpConnection implements Closeable {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private boolean open = true;
    private int exchanges;

    private HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the host and port of {@code base}, with TLS for https. */
    static HttpConnection open(URI base) throws IOException {
        boolean tls = "https".equals(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), port), 10_000);
            socket.setSoTimeout(10 * 60_000);
            return new HttpConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A request body: its length, and how to write it. */
    interface Body {
        long length();

        void writeTo(OutputStream out) throws IOException;
    }

    /** A response: status, headers, and the body when it was kept (otherwise only its length). */
    record Response(int status, List<String[]> headers, long bodyLength, byte[] body) {
        /** The first value of header {@code name} (any case), or null. */
        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }
    }

    /** True when the connection may carry another request. */
    boolean reusable() {
        return open;
    }

    /** True when this connection already carried a response, so a failure may be the server closing it idle. */
    boolean used() {
        return exchanges > 0;
    }

    /**
     * Sends {@code head} (the request line and headers, without the blank line that ends them) and {@code body},
     * and reads the response; {@code keepBody} keeps its bytes, otherwise they are counted and dropped.
     */
    Response exchange(byte[] head, Body body, boolean isHead, boolean keepBody) throws IOException {
        try {
            out.write(head);
            if (body != null) {
                out.write(("Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                body.writeTo(out);
            } else {
                out.write(CRLF);
            }
            out.flush();
            Response response = read(isHead, keepBody);
            exchanges++;
            return response;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private Response read(boolean isHead, boolean keepBody) throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> headers = new ArrayList<>();
        long contentLength = -1;
        boolean chunked = false;
        int headerBytes = 0;
        for (String line = line(); !line.isEmpty(); line = line()) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("response headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            headers.add(new String[] {name, value});
            switch (name.toLowerCase(Locale.ROOT)) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> open &= !value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (statusLine.startsWith("HTTP/1.0")) {
            open = false;
        }
        ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
        long length = 0;
        if (isHead || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            length = 0;
        } else if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                length += body(size, kept);
                if (!line().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            while (!line().isEmpty()) {
                // trailer fields: not used
            }
        } else if (contentLength >= 0) {
            length = body(contentLength, kept);
        } else {
            // Neither a length nor chunks: the body ends with the connection.
            open = false;
            length = body(Long.MAX_VALUE, kept);
        }
        return new Response(status, headers, isHead && contentLength >= 0 ? contentLength : length,
                kept == null ? null : kept.toByteArray());
    }

    private long chunkSize() throws IOException {
        String line = line();
        int semicolon = line.indexOf(';');
        return Long.parseLong((semicolon >= 0 ? line.substring(0, semicolon) : line).strip(), 16);
    }

    /** Reads {@code length} body bytes (until the end of the stream for Long.MAX_VALUE). */
    private long body(long length, ByteArrayOutputStream kept) throws IOException {
        long done = 0;
        while (done < length) {
            if (position == limit && !fill()) {
                if (length == Long.MAX_VALUE) {
                    return done;
                }
                throw new EOFException("response body ended after " + done + " of " + length + " bytes");
            }
            int n = (int) Math.min(limit - position, length - done);
            if (kept != null) {
                kept.write(buffer, position, n);
            }
            position += n;
            done += n;
        }
        return done;
    }

    /** One header or chunk line, without its CRLF. */
    private String line() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (position == limit && !fill()) {
                throw new EOFException("connection closed by the server");
            }
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    if (line == null) {
                        return part;
                    }
                    line.append(part);
                    int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r') {
                        line.setLength(last);
                    }
                    return line.toString();
                }
            }
            if (line == null) {
                line = new StringBuilder();
            }
            line.append(new String(buffer, position, limit - position, StandardCharsets.ISO_8859_1));
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("a response line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            position = limit;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() {
        open = false;
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken connection: nothing left to do
        }
    }
}
