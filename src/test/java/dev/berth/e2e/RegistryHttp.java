package dev.berth.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/** The raw Distribution API over java.net.http, for checks that must not go through a client's own logic. */
public final class RegistryHttp {
    /** Accept header covering every manifest type the tests push. */
    public static final String ACCEPT_MANIFESTS = String.join(", ",
            OciLayout.OCI_MANIFEST, OciLayout.OCI_INDEX,
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final URI base;

    /** A client for the registry at {@code base} (e.g. {@code http://127.0.0.1:5000}). */
    public RegistryHttp(URI base) {
        this.base = base;
    }

    /** A client for {@code registry}. */
    public RegistryHttp(BerthProcess registry) {
        this(registry.uri());
    }

    /** {@code GET /v2/NAME/manifests/REF} with an Accept header for every manifest type. */
    public HttpResponse<byte[]> getManifest(String name, String reference) throws IOException {
        return send(request("/v2/" + name + "/manifests/" + reference).header("Accept", ACCEPT_MANIFESTS).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code HEAD /v2/NAME/manifests/REF}. */
    public HttpResponse<Void> headManifest(String name, String reference) throws IOException {
        return send(request("/v2/" + name + "/manifests/" + reference).header("Accept", ACCEPT_MANIFESTS)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
    }

    /** {@code GET /v2/NAME/blobs/DIGEST} with the body in memory (small blobs only). */
    public HttpResponse<byte[]> getBlob(String name, String digest) throws IOException {
        return send(request("/v2/" + name + "/blobs/" + digest).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code GET /v2/NAME/blobs/DIGEST}, hashing the body as it streams in; fails on a status other than 200. */
    public Digests.Hashed hashBlob(String name, String digest) throws IOException {
        HttpResponse<InputStream> response = send(request("/v2/" + name + "/blobs/" + digest).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new AssertionError("GET blob " + digest + " answered " + response.statusCode() + " "
                        + response.headers().map() + "\n" + new String(body.readNBytes(4096), StandardCharsets.UTF_8));
            }
            return Digests.of(body);
        }
    }

    /** {@code POST /v2/NAME/blobs/uploads/}: starts an upload; returns its Location, resolved to an absolute URI. */
    public URI startUpload(String name) throws IOException {
        HttpResponse<String> response = send(request("/v2/" + name + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
        expect(response, 202, "POST upload");
        return location(response);
    }

    /**
     * {@code PATCH} one chunk with {@code Content-Range: start-end} and a streamed body of exactly
     * {@code length} bytes to {@code upload}; returns the response (202 expected by callers).
     */
    public HttpResponse<String> patchChunk(URI upload, long start, long length, Supplier<InputStream> body)
            throws IOException {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(body), length);
        return send(HttpRequest.newBuilder(upload).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", start + "-" + (start + length - 1))
                .method("PATCH", publisher), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code PUT UPLOAD?digest=D} with an empty body: completes an upload. */
    public HttpResponse<String> completeUpload(URI upload, String digest) throws IOException {
        return completeUpload(upload, digest, REQUEST_TIMEOUT);
    }

    /** As {@link #completeUpload(URI, String)}, waiting up to {@code timeout}: assembling gigabytes takes a while. */
    public HttpResponse<String> completeUpload(URI upload, String digest, Duration timeout) throws IOException {
        return send(HttpRequest.newBuilder(withQuery(upload, "digest=" + digest)).timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code PUT UPLOAD?digest=D} with the whole blob as a streamed body of {@code length} bytes: a monolithic upload. */
    public HttpResponse<String> putWholeBlob(URI upload, String digest, long length, Supplier<InputStream> body)
            throws IOException {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(body), length);
        // The whole body goes out before any answer comes: allow for gigabytes at a slow 10 MB/s.
        Duration timeout = REQUEST_TIMEOUT.plusSeconds(length / 10_000_000);
        return send(HttpRequest.newBuilder(withQuery(upload, "digest=" + digest)).timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(publisher), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET UPLOAD}: the upload's status (204 with a Range header). */
    public HttpResponse<String> uploadStatus(URI upload) throws IOException {
        return send(HttpRequest.newBuilder(upload).timeout(REQUEST_TIMEOUT).GET(), HttpResponse.BodyHandlers.ofString());
    }

    /** The response's Location header, resolved against its request URI. */
    public static URI location(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no Location header in " + describe(response)));
        return response.request().uri().resolve(location);
    }

    /** {@code uri} with {@code query} appended, using {@code &} when it already carries a query string. */
    public static URI withQuery(URI uri, String query) {
        String text = uri.toString();
        return URI.create(text + (uri.getRawQuery() == null ? "?" : "&") + query);
    }

    /** {@code uri} moved to another registry process (same path and query), as a load balancer would route it. */
    public static URI onRegistry(URI uri, BerthProcess registry) {
        return onRegistry(uri, registry.uri());
    }

    /** {@code uri} moved to the registry at {@code base} (same path and query), e.g. back to a load balancer. */
    public static URI onRegistry(URI uri, URI base) {
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return base.resolve(pathAndQuery);
    }

    /** Fails with the request and response when the status is not {@code status}. */
    public static void expect(HttpResponse<?> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError(what + ": expected " + status + "\n" + describe(response));
        }
    }

    /** The request line, status, headers and (textual) body of an exchange, for failure messages. */
    public static String describe(HttpResponse<?> response) {
        Object body = response.body();
        String text = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : body == null ? "" : body.toString();
        return response.request().method() + " " + response.request().uri() + " " + response.request().headers().map()
                + "\n-> " + response.statusCode() + " " + response.headers().map() + "\n" + text;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        try {
            return client.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
