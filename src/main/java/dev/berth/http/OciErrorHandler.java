package dev.berth.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Answers the errors Jetty raises itself (a malformed request, a header too large) with an OCI JSON body. */
final class OciErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        byte[] body = status >= 400 && status < 500
                ? Responses.errorBody(List.of(new RegistryException.RegistryError(codeFor(status),
                        "the request was refused by the HTTP layer (status " + status + ")", null)))
                : Responses.errorBody("UNKNOWN", "internal error (status " + status + ")");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.DENIED;
            case 404 -> ErrorCode.NAME_UNKNOWN;
            case 405 -> ErrorCode.UNSUPPORTED;
            case 429 -> ErrorCode.TOOMANYREQUESTS;
            case 413 -> ErrorCode.SIZE_INVALID;
            default -> ErrorCode.UNSUPPORTED;
        };
    }
}
