package dev.berth.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A small blocking HTTP client for black-box requests against the registry under test. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient client;

    /** A client whose relative paths resolve against {@code base}. */
    public Http(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The base URI, such as {@code http://127.0.0.1:5000}. */
    public URI base() {
        return base;
    }

    /** Resolves a path or an absolute URL (such as a {@code Location} header) against the base. */
    public URI resolve(String pathOrUrl) {
        URI given = URI.create(pathOrUrl);
        if (given.isAbsolute()) {
            return given;
        }
        // Concatenate rather than URI.resolve so that '..' and '%2F' reach the server untouched.
        String b = base.toString();
        if (b.endsWith("/") && pathOrUrl.startsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + pathOrUrl);
    }

    /** {@code url} with {@code query} appended, using {@code ?} or {@code &} as the URL requires. */
    public static String withQuery(String url, String query) {
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    /** Sends a GET. */
    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** Sends a HEAD. */
    public Response head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    /** Sends a DELETE. */
    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** Sends a POST with {@code body} (null for an empty body with {@code Content-Length: 0}). */
    public Response post(String path, byte[] body, String... headers) {
        return send("POST", path, body == null ? new byte[0] : body, headers);
    }

    /** Sends a PUT with {@code body} (null for an empty body with {@code Content-Length: 0}). */
    public Response put(String path, byte[] body, String... headers) {
        return send("PUT", path, body == null ? new byte[0] : body, headers);
    }

    /** Sends a PATCH with {@code body} and a {@code Content-Length}. */
    public Response patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    /** Sends a PATCH whose body is streamed with chunked transfer encoding (no {@code Content-Length}). */
    public Response patchStreamed(String path, byte[] body, String... headers) {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        return exchange("PATCH", path, publisher, headers);
    }

    /**
     * Sends {@code method} to {@code path} with optional body; {@code headers} are name, value pairs.
     * A null body sends no body at all.
     */
    public Response send(String method, String path, byte[] body, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return exchange(method, path, publisher, headers);
    }

    private Response exchange(String method, String path, HttpRequest.BodyPublisher publisher, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs: " + Arrays.toString(headers));
        }
        URI uri = resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).method(method, publisher);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            sent.add(headers[i] + ": " + headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(method, uri, List.copyOf(sent), response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + uri, e);
        }
    }

    /** One request and its response, as the test saw them. */
    public record Response(String method, URI uri, List<String> requestHeaders, int status, HttpHeaders headers, byte[] body) {

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** Every value of header {@code name}, one per header line. */
        public List<String> headerValues(String name) {
            return headers.allValues(name);
        }

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body parsed as JSON; fails the test with the whole exchange if it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON\n" + describe(), e);
            }
        }

        /** The content type without parameters, lower case, or null. */
        public String mediaType() {
            String type = header("Content-Type");
            if (type == null) {
                return null;
            }
            int semicolon = type.indexOf(';');
            return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        }

        /** The whole exchange, for assertion messages: request line and headers, status, headers, body. */
        public String describe() {
            StringBuilder out = new StringBuilder();
            out.append("> ").append(method).append(' ').append(uri).append('\n');
            requestHeaders.forEach(h -> out.append("> ").append(h).append('\n'));
            out.append("< ").append(status).append('\n');
            headers.map().forEach((name, values) -> values.forEach(v -> out.append("< ").append(name).append(": ").append(v).append('\n')));
            out.append("< ").append(printableBody());
            return out.toString();
        }

        private String printableBody() {
            String text = text();
            boolean binary = text.chars().anyMatch(c -> c == 0xFFFD || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'));
            if (binary) {
                return "(" + body.length + " bytes of binary content)";
            }
            return text.length() > 1500 ? text.substring(0, 1500) + "...(" + body.length + " bytes)" : text;
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
