package dev.berth.http;

import dev.berth.auth.AccessControl;
import dev.berth.config.BerthConfig;
import dev.berth.registry.Registry;
import java.net.URI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Builds the Jetty server that serves the registry on the configured address. */
public final class HttpServerFactory {
    private HttpServerFactory() {}

    /** A Jetty server, not yet started, serving {@code registry} to whom {@code access} lets in. */
    public static Server create(BerthConfig config, Registry registry, AccessControl access) {
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("berth-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Let odd paths (%2F, ..) reach the handler, so they are refused with an OCI NAME_INVALID, not a bare 400.
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setRequestHeaderSize(64 * 1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        HostAndPort listen = HostAndPort.parse(config.listen());
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        connector.setIdleTimeout(5 * 60_000L);
        server.addConnector(connector);
        Handler registryHandler = new RegistryHandler(registry, config.publicUrl(), config.delete().enabled(), access);
        server.setHandler(access.tokens().<Handler>map(tokens -> new TokenHandler(tokens, registryHandler))
                .orElse(registryHandler));
        server.setErrorHandler(new OciErrorHandler());
        server.setStopTimeout(30_000);
        return server;
    }

    /** The address the started server listens on, with the real port when 0 was asked for. */
    public static URI boundUri(Server server) {
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort());
    }

    /** A {@code HOST:PORT} listen address. */
    record HostAndPort(String host, int port) {
        static HostAndPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("listen address must be HOST:PORT, got '" + text + "'");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new HostAndPort(host.isEmpty() ? null : host, Integer.parseInt(text.substring(colon + 1)));
        }
    }
}
