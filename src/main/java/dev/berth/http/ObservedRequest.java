package dev.berth.http;

import dev.berth.auth.Principal;
import dev.berth.observe.Route;
import org.eclipse.jetty.server.Request;

/**
 * A request as {@link ObservingHandler} follows it: the handlers that understand it note its route, repository,
 * upload and caller here, and the observing handler reads them for the metrics and the request log once the response
 * has ended. A plain field each, set on the handling thread and read after Jetty completed the response, which orders
 * the two.
 */
public final class ObservedRequest extends Request.Wrapper {
    private final String requestId;
    private Route route = Route.OTHER;
    private boolean routed;
    private String repository;
    private String uploadId;
    private String user;

    ObservedRequest(Request wrapped, String requestId) {
        super(wrapped);
        this.requestId = requestId;
    }

    /** Notes that {@code request} is of {@code route} on {@code repository} (null: none); no-op when not observed. */
    public static void route(Request request, Route route, String repository) {
        ObservedRequest observed = Request.as(request, ObservedRequest.class);
        if (observed != null) {
            observed.route = route;
            observed.routed = true;
            observed.repository = repository;
        }
    }

    /** Notes the upload {@code request} belongs to. */
    public static void upload(Request request, String uploadId) {
        ObservedRequest observed = Request.as(request, ObservedRequest.class);
        if (observed != null) {
            observed.uploadId = uploadId;
        }
    }

    /** Notes who sent {@code request}; an anonymous caller is not written down. */
    public static void caller(Request request, Principal caller) {
        ObservedRequest observed = Request.as(request, ObservedRequest.class);
        if (observed != null && !caller.anonymous()) {
            observed.user = caller.name();
        }
    }

    /** The id of {@code request}, or null when it is not observed. */
    public static String requestId(Request request) {
        ObservedRequest observed = Request.as(request, ObservedRequest.class);
        return observed == null ? null : observed.requestId;
    }

    String requestId() {
        return requestId;
    }

    /** The route a handler noted, or for a request refused before it was routed, the one its path suggests. */
    Route route() {
        if (route == Route.OTHER && !routed) {
            route = Route.ofPath(getHttpURI().getPath());
            routed = true;
        }
        return route;
    }

    String repository() {
        return repository;
    }

    String uploadId() {
        return uploadId;
    }

    String user() {
        return user;
    }
}
