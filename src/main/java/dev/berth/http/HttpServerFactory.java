package dev.berth.http;

import dev.berth.auth.AccessControl;
import dev.berth.config.BerthConfig;
import dev.berth.events.Notifier;
import dev.berth.observe.AccessLog;
import dev.berth.observe.BerthMetrics;
import dev.berth.observe.Readiness;
import dev.berth.registry.Registry;
import java.net.URI;
import java.util.Optional;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Builds the Jetty server that serves the registry on the configured address, over plain HTTP or TLS. */
public final class HttpServerFactory {
    private static final int INPUT_BUFFER_BYTES = 64 * 1024;

    private HttpServerFactory() {}

    /**
     * A Jetty server, not yet started, serving {@code registry} to whom {@code access} lets in: over TLS with
     * {@code tls} (HTTP/2 when the client offers it through ALPN, HTTP/1.1 otherwise), over plain HTTP without.
     * Requests are counted in {@code metrics} when present and logged as {@code config.log()} says; {@code /metrics},
     * {@code /healthz} and {@code /readyz} (answered by {@code readiness}) are served on the main listener, or on a
     * plain-HTTP listener of their own when {@code admin.listen} is set.
     */
    public static Server create(BerthConfig config, Registry registry, AccessControl access,
            Optional<SslContextFactory.Server> tls, Notifier events, Optional<BerthMetrics> metrics,
            Readiness readiness) {
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("berth-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Let odd paths (%2F, ..) reach the handler, so they are refused with an OCI NAME_INVALID, not a bare 400.
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setRequestHeaderSize(64 * 1024);
        ServerConnector connector = tls.map(context -> tlsConnector(server, http, context))
                .orElseGet(() -> new ServerConnector(server, http1(http)));
        HostAndPort listen = HostAndPort.parse(config.listen());
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        connector.setIdleTimeout(5 * 60_000L);
        server.addConnector(connector);
        config.admin().listen().ifPresent(address -> server.addConnector(adminConnector(server, http, address)));
        // Manifest reads run inline only where the store answers with local system calls.
        boolean localStore = switch (config.storage().driver()) {
            case FILESYSTEM, MEMORY -> true;
            case S3, SWIFT -> false;
        };
        Handler registryHandler = new RegistryHandler(registry, config.publicUrl(), config.delete().enabled(), access,
                threads, localStore, events);
        Handler api = access.tokens().<Handler>map(tokens -> new TokenHandler(tokens, registryHandler, threads))
                .orElse(registryHandler);
        Handler observed = new ObservingHandler(api, metrics.map(BerthMetrics::http).orElse(null),
                config.log().access() ? new AccessLog(config.log().format()) : null);
        // Counts the requests in flight, so that a stop waits for them (up to the stop timeout) rather than cut them.
        GracefulHandler graceful = new GracefulHandler(
                new AdminHandler(observed, metrics, readiness, config.admin().listen().isPresent(), threads));
        // Jetty shortens every connection's idle timeout to this once stopping; a second would cut an upload whose
        // client pauses that long, so a pause is allowed as long as the whole stop.
        graceful.setShutdownIdleTimeout(config.shutdown().timeout().toMillis());
        server.setHandler(graceful);
        server.setErrorHandler(new OciErrorHandler());
        server.setStopTimeout(config.shutdown().timeout().toMillis());
        return server;
    }

    /** The admin endpoints' own listener: plain HTTP/1.1, meant for loopback or an internal network. */
    private static ServerConnector adminConnector(Server server, HttpConfiguration http, String address) {
        ServerConnector admin = new ServerConnector(server, 1, 1,
                new HttpConnectionFactory(new HttpConfiguration(http)));
        admin.setName(AdminHandler.CONNECTOR_NAME);
        HostAndPort listen = HostAndPort.parse(address);
        admin.setHost(listen.host());
        admin.setPort(listen.port());
        admin.setIdleTimeout(60_000L);
        return admin;
    }

    /**
     * HTTP/1.1 reading the socket 64 KiB at a time: Jetty's default of 8 KiB cost a system call and a hand-over per
     * 8 KiB of every upload. 64 KiB is the largest buffer Jetty's pool keeps for reuse.
     */
    private static HttpConnectionFactory http1(HttpConfiguration config) {
        HttpConnectionFactory factory = new HttpConnectionFactory(config);
        factory.setInputBufferSize(INPUT_BUFFER_BYTES);
        return factory;
    }

    /** TLS, then ALPN choosing h2 or http/1.1 (a client that offers no ALPN gets HTTP/1.1). */
    private static ServerConnector tlsConnector(Server server, HttpConfiguration plain,
            SslContextFactory.Server context) {
        HttpConfiguration https = new HttpConfiguration(plain);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Berth serves one certificate, so there is nothing to pick by SNI, and the client checks the name it dialled
        // against the certificate itself. Jetty's SNI host check would refuse a request whose Host the certificate
        // does not name (a registry reached through an alias or a load balancer's IP); leave that to the client.
        secure.setSniHostCheck(false);
        secure.setSniRequired(false);
        https.addCustomizer(secure);
        HttpConnectionFactory http1 = http1(https);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        // ALPN names are matched exactly, and HTTP/1.1's is "http/1.1" (RFC 7301), not the "HTTP/1.1" of Jetty's
        // connection factory; a client offering only http/1.1 would otherwise be refused the handshake.
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(http2.getProtocol(), "http/1.1");
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory ssl = new SslConnectionFactory(context, alpn.getProtocol());
        return new ServerConnector(server, ssl, alpn, http2, http1);
    }

    /** The address the started server listens on, with the real port when 0 was asked for; https with TLS. */
    public static URI boundUri(Server server) {
        return uri((ServerConnector) server.getConnectors()[0]);
    }

    /** The address of the started server's admin listener, when it has one. */
    public static Optional<URI> adminUri(Server server) {
        for (var connector : server.getConnectors()) {
            if (AdminHandler.CONNECTOR_NAME.equals(connector.getName())) {
                return Optional.of(uri((ServerConnector) connector));
            }
        }
        return Optional.empty();
    }

    private static URI uri(ServerConnector connector) {
        String scheme = connector.getConnectionFactory(SslConnectionFactory.class) != null ? "https" : "http";
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create(scheme + "://" + host + ":" + connector.getLocalPort());
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
