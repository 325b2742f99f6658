package dev.berth.http;

import dev.berth.auth.Principal;
import dev.berth.events.EventOrigin;
import dev.berth.events.RequestRecord;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** Describes a Jetty request as the origin of registry events: its id, client, host, method and caller. */
final class EventOrigins {
    /** The request and response header that carries a request's id. */
    static final String REQUEST_ID = "X-Request-Id";
    /** The request attribute the caller is kept in once authenticated, for the events of the request. */
    static final String CALLER = Principal.class.getName();

    private EventOrigins() {}

    /**
     * The origin of the events of {@code request}, whose targets' URLs start with {@code baseUrl}. The id is the
     * one the client (or a proxy) sent, else the one Berth's own response carries, else a new one; make one origin
     * per request, so that all its events share the id.
     */
    static EventOrigin of(Request request, Response response, String baseUrl) {
        Object caller = request.getAttribute(CALLER);
        Optional<String> actor = caller instanceof Principal p && !p.anonymous() ? Optional.of(p.name())
                : Optional.empty();
        String userAgent = request.getHeaders().get(HttpHeader.USER_AGENT);
        RequestRecord record = new RequestRecord(requestId(request, response),
                address(Request.getRemoteAddr(request), Request.getRemotePort(request)),
                request.getHttpURI().getAuthority(), request.getMethod(), userAgent == null ? "" : userAgent);
        return new EventOrigin(record, actor, baseUrl);
    }

    private static String requestId(Request request, Response response) {
        String id = request.getHeaders().get(REQUEST_ID);
        if (id == null || id.isBlank()) {
            id = response.getHeaders().get(REQUEST_ID);
        }
        return id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
    }

    /** {@code host:port}, with an IPv6 host in brackets as in a URL. */
    private static String address(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
