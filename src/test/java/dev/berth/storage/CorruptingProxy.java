package dev.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real TCP proxy in front of a server that flips one bit in the byte after each occurrence of a marker in what
 * clients send, so a request body is damaged on the wire the way a bad network card would damage it.
 */
final class CorruptingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final byte[] marker;
    private final List<Socket> sockets = new ArrayList<>();

    CorruptingProxy(InetSocketAddress upstream, String marker) throws IOException {
        this.upstream = upstream;
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "corrupting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code uri} with host and port replaced by the proxy's. */
    URI via(URI uri) {
        return URI.create(uri.getScheme() + "://127.0.0.1:" + listener.getLocalPort() + uri.getRawPath());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(upstream.getAddress(), upstream.getPort());
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                pump(client.getInputStream(), server.getOutputStream(), true, server);
                pump(server.getInputStream(), client.getOutputStream(), false, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean corrupt, Socket target) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            int matched = 0;
            boolean flipNext = false;
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (corrupt) {
                        for (int i = 0; i < n; i++) {
                            if (flipNext) {
                                buffer[i] ^= 0x01;
                                flipNext = false;
                            }
                            matched = buffer[i] == marker[matched] ? matched + 1 : (buffer[i] == marker[0] ? 1 : 0);
                            if (matched == marker.length) {
                                flipNext = true;
                                matched = 0;
                            }
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                try {
                    target.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "corrupting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
