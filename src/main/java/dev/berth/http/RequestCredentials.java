package dev.berth.http;

import dev.berth.auth.Credentials;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/** What a request offers to say who is calling, for the registry's routes and the token endpoint alike. */
final class RequestCredentials {
    private RequestCredentials() {}

    /** The {@code Authorization} header, the verified client certificate's user and the client address. */
    static Credentials of(Request request) {
        return new Credentials(Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION)),
                ClientCertificate.user(request), Request.getRemoteAddr(request));
    }
}
