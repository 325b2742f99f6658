package dev.berth.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.auth.TokenService;
import dev.berth.auth.token.ResourceScope;
import dev.berth.observe.Route;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint of the Docker token flow, in front of the registry: {@code GET /token} (Basic or no
 * credentials, {@code service} and repeated {@code scope} parameters), {@code POST /token} (the OAuth2 form of
 * {@code docker-auth-oauth.md}: {@code grant_type} {@code password} or {@code refresh_token}), and
 * {@code GET /token/jwks}, the public key as a JWKS. Every other path goes to the wrapped handler.
 */
public final class TokenHandler extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(TokenHandler.class);
    /** Where tokens are issued. */
    public static final String TOKEN_PATH = "/token";
    /** Where the public key is served as a JWKS. */
    public static final String JWKS_PATH = "/token/jwks";
    private static final int MAX_FORM_FIELDS = 32;
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final TokenService tokens;
    private final Executor blockingWork;

    /**
     * Serves tokens from {@code tokens} on {@code blockingWork} (a token costs a password check), and hands other
     * requests to {@code registry}, which decides itself what runs where.
     */
    public TokenHandler(TokenService tokens, Handler registry, Executor blockingWork) {
        super(registry);
        this.tokens = tokens;
        this.blockingWork = blockingWork;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (!path.equals(TOKEN_PATH) && !path.equals(JWKS_PATH)) {
            return super.handle(request, response, callback);
        }
        ObservedRequest.route(request, Route.TOKEN, null);
        Responses.dispatch(blockingWork, request, response, callback, () -> serve(request, response, callback, path));
        return true;
    }

    private void serve(Request request, Response response, Callback callback, String path) {
        // Tokens and keys must not be kept by caches between the client and Berth.
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        try {
            String method = request.getMethod();
            if (path.equals(JWKS_PATH) && (method.equals("GET") || method.equals("HEAD"))) {
                Responses.json(request, response, callback, 200, "application/json", tokens.jwks());
            } else if (path.equals(TOKEN_PATH) && method.equals("GET")) {
                get(request, response, callback);
            } else if (path.equals(TOKEN_PATH) && method.equals("POST")) {
                post(request, response, callback);
            } else {
                throw new RegistryException(ErrorCode.UNSUPPORTED, "method " + method + " is not allowed here");
            }
        } catch (RegistryException e) {
            Responses.error(request, response, callback, e);
        } catch (TokenService.InvalidScope e) {
            oauthError(request, response, callback, "invalid_scope", e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} {}: unexpected failure", request.getMethod(), path, e);
            Responses.bytes(request, response, callback, 500, "application/json",
                    Responses.errorBody("UNKNOWN", "internal error"));
        }
    }

    private void get(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        TokenService.Grant grant = tokens.issue(RequestCredentials.of(request),
                Optional.ofNullable(query.getValue("service")).filter(s -> !s.isEmpty()),
                request.getHttpURI().getHost(), query.getValuesOrEmpty("scope"));
        Map<String, Object> body = body(grant);
        Responses.json(request, response, callback, 200, "application/json", body);
    }

    private void post(Request request, Response response, Callback callback) {
        Fields form;
        try {
            form = FormFields.getFields(request, MAX_FORM_FIELDS, MAX_FORM_BYTES);
        } catch (RuntimeException e) {
            oauthError(request, response, callback, "invalid_request",
                    "the body must be an application/x-www-form-urlencoded form");
            return;
        }
        Optional<String> service = Optional.ofNullable(form.getValue("service")).filter(s -> !s.isEmpty());
        String scope = Optional.ofNullable(form.getValue("scope")).orElse("");
        String grantType = Optional.ofNullable(form.getValue("grant_type")).orElse("");
        TokenService.Grant grant;
        switch (grantType) {
            case "password" -> {
                String user = form.getValue("username");
                String password = form.getValue("password");
                if (user == null || password == null) {
                    oauthError(request, response, callback, "invalid_request",
                            "grant_type password needs username and password");
                    return;
                }
                grant = tokens.passwordGrant(user, password, Request.getRemoteAddr(request), service,
                        request.getHttpURI().getHost(), scope, "offline".equals(form.getValue("access_type")));
            }
            case "refresh_token" -> {
                String refresh = form.getValue("refresh_token");
                if (refresh == null || refresh.isEmpty()) {
                    oauthError(request, response, callback, "invalid_request",
                            "grant_type refresh_token needs refresh_token");
                    return;
                }
                grant = tokens.refreshGrant(refresh, service, request.getHttpURI().getHost(), scope);
            }
            default -> {
                oauthError(request, response, callback, "unsupported_grant_type",
                        "grant_type must be password or refresh_token, not '" + grantType + "'");
                return;
            }
        }
        Map<String, Object> body = body(grant);
        body.put("scope", grant.granted().stream().map(ResourceScope::toString).collect(Collectors.joining(" ")));
        grant.refreshToken().ifPresent(refresh -> body.put("refresh_token", refresh));
        Responses.json(request, response, callback, 200, "application/json", body);
    }

    /** {@code token} and {@code access_token} (both, for old and OAuth2 clients), {@code expires_in}, {@code issued_at}. */
    private static Map<String, Object> body(TokenService.Grant grant) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", grant.token().token());
        body.put("access_token", grant.token().token());
        body.put("expires_in", grant.token().expiresIn().toSeconds());
        body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(grant.token().issuedAt().truncatedTo(ChronoUnit.SECONDS)));
        return body;
    }

    /** 400 with an OAuth2 error body (RFC 6749, 5.2). */
    private static void oauthError(Request request, Response response, Callback callback, String error,
            String description) {
        ObjectNode body = Responses.JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        Responses.json(request, response, callback, 400, "application/json", body);
    }
}
