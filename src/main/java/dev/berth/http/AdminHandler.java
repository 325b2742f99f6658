package dev.berth.http;

import dev.berth.observe.BerthMetrics;
import dev.berth.observe.Readiness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The operational endpoints: {@code /healthz} (200 while the process serves), {@code /readyz} (200 while the store
 * answers, 503 with the reason otherwise) and {@code /metrics} (Prometheus text format). None asks for credentials:
 * they show no repository, user or secret. With an admin connector, they are served on it alone, it serves nothing
 * else, and the main listener answers their paths as the registry answers any unknown path; without one, the main
 * listener serves them ahead of the registry. They are not counted in the metrics nor written to the request log.
 */
public final class AdminHandler extends Handler.Wrapper {
    /** Liveness. */
    public static final String HEALTHZ = "/healthz";
    /** Readiness. */
    public static final String READYZ = "/readyz";
    /** Metrics. */
    public static final String METRICS = "/metrics";
    /** The name the admin listener's connector carries, by which its requests are told apart. */
    public static final String CONNECTOR_NAME = "berth-admin";

    private final Optional<BerthMetrics> metrics;
    private final Readiness readiness;
    private final boolean ownConnector;
    private final Executor blockingWork;

    /**
     * Serves the endpoints from {@code metrics} (empty: {@code /metrics} is not served) and {@code readiness}, on the
     * connector named {@link #CONNECTOR_NAME} when {@code ownConnector}, ahead of {@code next} otherwise.
     */
    public AdminHandler(Handler next, Optional<BerthMetrics> metrics, Readiness readiness, boolean ownConnector,
            Executor blockingWork) {
        super(next);
        this.blockingWork = blockingWork;
        this.metrics = metrics;
        this.readiness = readiness;
        this.ownConnector = ownConnector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (ownConnector) {
            if (isAdminConnector(request)) {
                dispatch(request, response, callback);
                return true;
            }
            return super.handle(request, response, callback);
        }
        String path = request.getHttpURI().getPath();
        if (path.equals(HEALTHZ) || path.equals(READYZ) || path.equals(METRICS)) {
            dispatch(request, response, callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    /**
     * Serves on {@code blockingWork}: the registry behind this handler tells Jetty it never blocks, but a readiness
     * probe waits for the store, which must not hold up the thread that parses requests.
     */
    private void dispatch(Request request, Response response, Callback callback) {
        Responses.dispatch(blockingWork, request, response, callback, () -> {
            try {
                serve(request, response, callback);
            } catch (IOException | RuntimeException e) {
                callback.failed(e);
            }
        });
    }

    private static boolean isAdminConnector(Request request) {
        Connector connector = request.getConnectionMetaData().getConnector();
        return connector != null && CONNECTOR_NAME.equals(connector.getName());
    }

    private void serve(Request request, Response response, Callback callback) throws IOException {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        boolean known = path.equals(HEALTHZ) || path.equals(READYZ) || (path.equals(METRICS) && metrics.isPresent());
        if (!known) {
            Responses.bytes(request, response, callback, 404, "application/json",
                    Responses.errorBody("NOT_FOUND", "not an admin endpoint: " + path));
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.bytes(request, response, callback, 405, "application/json",
                    Responses.errorBody("UNSUPPORTED", "method " + method + " is not allowed here"));
            return;
        }
        switch (path) {
            case HEALTHZ -> Responses.json(request, response, callback, 200, "application/json",
                    Map.of("status", "ok"));
            case READYZ -> {
                Readiness.Answer answer = readiness.check();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", answer.ready() ? "ready" : "unready");
                if (!answer.ready()) {
                    body.put("reason", answer.reason());
                }
                Responses.json(request, response, callback, answer.ready() ? 200 : 503, "application/json", body);
            }
            default -> {
                ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
                metrics.get().writeText(text);
                Responses.bytes(request, response, callback, 200, metrics.get().contentType(), text.toByteArray());
            }
        }
    }
}
