package dev.berth.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling for a manifest read on this machine: Jetty, set up as Berth sets it up, with one handler that
 * answers the benchmark's manifest path from bytes in memory, with the headers a registry sends, and nothing
 * else. The target compares Berth with it in the same run.
 */
public final class BaselineServer implements AutoCloseable {
    private static final ByteBuffer NOT_FOUND = ByteBuffer.wrap(
            "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"the baseline serves one manifest\"}]}"
                    .getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    private static final ByteBuffer API = ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();

    private final Server jetty;

    private BaselineServer(Server jetty) {
        this.jetty = jetty;
    }

    /** Starts serving {@code image}'s manifest under {@code repo} on {@code host:port} (port 0 picks one). */
    public static BaselineServer start(String host, int port, String repo, ImageFixture image) throws Exception {
        // The same pool and connector settings as Berth's HttpServerFactory, so only the handler differs.
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("baseline-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(5 * 60_000L);
        server.addConnector(connector);
        server.setHandler(new ManifestHandler(repo, image));
        server.start();
        return new BaselineServer(server);
    }

    /** Where it listens. */
    public URI uri() {
        ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
        return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort());
    }

    /** Blocks until stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    /** Answers {@code /v2/}, and GET and HEAD of the manifest by tag and by digest; 404 for anything else. */
    private static final class ManifestHandler extends Handler.Abstract.NonBlocking {
        private final String byTag;
        private final String byDigest;
        private final ByteBuffer manifest;
        private final String digest;
        private final String etag;

        ManifestHandler(String repo, ImageFixture image) {
            this.byTag = "/v2/" + repo + "/manifests/" + ImageFixture.TAG;
            this.byDigest = "/v2/" + repo + "/manifests/" + image.manifestDigest();
            this.manifest = ByteBuffer.wrap(image.manifest()).asReadOnlyBuffer();
            this.digest = image.manifestDigest();
            this.etag = "\"" + digest + "\"";
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            boolean head = "HEAD".equals(request.getMethod());
            response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
            if (path.equals(byTag) || path.equals(byDigest)) {
                response.getHeaders().put("Docker-Content-Digest", digest);
                response.getHeaders().put(HttpHeader.ETAG, etag);
                answer(response, callback, 200, ImageFixture.MANIFEST_TYPE, manifest, head);
            } else if (path.equals("/v2/") || path.equals("/v2")) {
                answer(response, callback, 200, "application/json", API, head);
            } else {
                answer(response, callback, 404, "application/json", NOT_FOUND, head);
            }
            return true;
        }

        private static void answer(Response response, Callback callback, int status, String type, ByteBuffer body,
                boolean head) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
            response.write(true, head ? null : body.slice(), callback);
        }
    }

}
