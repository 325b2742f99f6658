package dev.berth.http;

import dev.berth.observe.AccessEntry;
import dev.berth.observe.AccessLog;
import dev.berth.observe.HttpMetrics;
import dev.berth.observe.RequestIds;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id (the client's {@code X-Request-Id} when sane, a new one otherwise, returned in the
 * response's {@code X-Request-Id}), and when its response has ended counts it in the metrics and writes its line in
 * the request log. Route, repository, upload and user come from what the wrapped handlers noted in the
 * {@link ObservedRequest}. While a request is handled its id is in the logging context as {@code request_id}, so
 * Berth's other lines about it carry the id too.
 */
public final class ObservingHandler extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(ObservingHandler.class);
    /** The key of the request id in the logging context (MDC). */
    public static final String MDC_KEY = "request_id";

    private final HttpMetrics metrics;
    private final AccessLog accessLog;

    /**
     * Observes the requests {@code next} handles, counting them in {@code metrics} (null: not counted) and logging
     * them to {@code accessLog} (null: not logged).
     */
    public ObservingHandler(Handler next, HttpMetrics metrics, AccessLog accessLog) {
        super(next);
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = RequestIds.acceptOrCreate(request.getHeaders().get(RequestIds.HEADER));
        response.getHeaders().put(RequestIds.HEADER, id);
        ObservedRequest observed = new ObservedRequest(request, id);
        MDC.put(MDC_KEY, id);
        try {
            return super.handle(observed, response, new Completion(observed, response, callback));
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** Records the request as its response ends, before Jetty may reuse the request and response objects. */
    private final class Completion extends Callback.Nested {
        private final ObservedRequest request;
        private final Response response;

        Completion(ObservedRequest request, Response response, Callback callback) {
            super(callback);
            this.request = request;
            this.response = response;
        }

        @Override
        public void succeeded() {
            record(false);
            super.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            record(true);
            super.failed(x);
        }

        private void record(boolean failed) {
            try {
                boolean committed = response.isCommitted();
                // A failure before the response began becomes Jetty's 500; after, the client sees a cut-off body.
                int status = failed && !committed ? 500 : response.getStatus();
                boolean aborted = failed && committed;
                long nanos = System.nanoTime() - request.getBeginNanoTime();
                long in = Request.getContentBytesRead(request);
                long out = Response.getContentBytesWritten(response);
                if (metrics != null) {
                    metrics.record(request.route(), request.getMethod(), status, nanos, in, out, aborted);
                }
                if (accessLog != null && accessLog.enabled()) {
                    String uploadId = request.uploadId() != null ? request.uploadId()
                            : response.getHeaders().get("Docker-Upload-UUID");
                    accessLog.log(new AccessEntry(Request.getTimeStamp(request), request.requestId(),
                            Request.getRemoteAddr(request), request.user(), request.getMethod(), request.route(),
                            request.repository(), request.getHttpURI().getPath(), uploadId, status, in, out, nanos,
                            aborted));
                }
            } catch (RuntimeException e) {
                // Observing must never fail the response it observes.
                log.warn("request not recorded: {}", e.toString());
            }
        }
    }
}
