package dev.berth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes the registry's responses: JSON bodies, empty answers, and OCI error bodies. */
final class Responses {
    static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {}

    /** Answers with {@code status} and no body. */
    static void empty(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
    }

    /** Answers with a JSON body of {@code contentType}. */
    static void json(Request request, Response response, Callback callback, int status, String contentType,
            Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException("response not serializable", e);
        }
        bytes(request, response, callback, status, contentType, bytes);
    }

    /** Answers with {@code bytes}, or only their length for a HEAD request. */
    static void bytes(Request request, Response response, Callback callback, int status, String contentType,
            byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) bytes.length);
        if ("HEAD".equals(request.getMethod())) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    /**
     * Runs {@code work} on {@code blockingWork}, which then owns the response; when the pool refuses it, answers 503
     * at once, so a saturated server says so instead of leaving the client waiting.
     */
    static void dispatch(Executor blockingWork, Request request, Response response, Callback callback,
            Runnable work) {
        try {
            blockingWork.execute(work);
        } catch (RejectedExecutionException e) {
            error(request, response, callback, RegistryException.withStatus(503, ErrorCode.TOOMANYREQUESTS,
                    "the server is busy; try again"));
        }
    }

    /** Answers with an OCI error body (no body for HEAD) and the failure's own headers. */
    static void error(Request request, Response response, Callback callback, RegistryException e) {
        e.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        bytes(request, response, callback, e.status(), "application/json", errorBody(e.errors()));
    }

    /** The OCI error body for {@code errors}. */
    static byte[] errorBody(List<RegistryException.RegistryError> errors) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("errors");
        for (RegistryException.RegistryError error : errors) {
            ObjectNode entry = list.addObject();
            entry.put("code", error.code().name());
            entry.put("message", error.message());
            if (error.detail() != null) {
                entry.set("detail", JSON.valueToTree(error.detail()));
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An error body with a code outside the spec's list, for 5xx answers and Jetty's own errors. */
    static byte[] errorBody(String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode entry = root.putArray("errors").addObject();
        entry.put("code", code);
        entry.put("message", message);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
