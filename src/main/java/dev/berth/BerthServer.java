package dev.berth;

import dev.berth.config.BerthConfig;
import java.net.URI;

/**
 * A running Berth: the store, the registry and the HTTP listener wired from one configuration.
 * The composition root; every other class receives its collaborators.
 */
public final class BerthServer implements AutoCloseable {
    private final org.eclipse.jetty.server.Server jetty;
    private final URI uri;

    private BerthServer(org.eclipse.jetty.server.Server jetty, URI uri) {
        this.jetty = jetty;
        this.uri = uri;
    }

    /** Starts Berth with {@code config}; a listen port of 0 picks a free port, which {@link #uri()} then shows. */
    public static BerthServer start(BerthConfig config) throws Exception {
        throw new IllegalStateException("wired in the next commit");
    }

    /** The base URI clients reach this server on, such as {@code http://127.0.0.1:5000}. */
    public URI uri() {
        return uri;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
