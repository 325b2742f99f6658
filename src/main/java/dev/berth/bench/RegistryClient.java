package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry calls the benchmark makes, over kept-alive HTTP/1.1 {@link HttpConnection}s: a call takes an idle
 * connection (or opens one), so with N threads calling there are N connections. Blocking calls. Every unexpected
 * answer is a {@link RegistryCallException} naming the request and the status.
 */
public final class RegistryClient implements AutoCloseable {
    /** What a pull of an image manifest accepts, as container clients send it. */
    static final String MANIFEST_ACCEPT = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String hostHeader;
    private final String authorization;
    private final ConcurrentLinkedQueue<HttpConnection> idle = new ConcurrentLinkedQueue<>();
    private final LongAdder requests = new LongAdder();
    private volatile boolean closed;

    /** A client of the registry at {@code base}, with Basic credentials {@code user:password} or none (null). */
    public RegistryClient(URI base, String credentials) {
        this.base = base;
        this.hostHeader = base.getPort() > 0 ? base.getHost() + ":" + base.getPort() : base.getHost();
        this.authorization = credentials == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** HTTP requests sent so far, for requests per second where one operation takes several. */
    public long requestsSent() {
        return requests.sum();
    }

    /** {@code GET /v2/}: throws unless the registry answers 200 (a 401 means wrong or missing --creds). */
    public void checkApi() throws IOException {
        expect(send("GET", "/v2/", null, null, true), "GET /v2/", 200);
    }

    /** A monolithic push: POST, then PUT with the whole blob. Returns the bytes sent. */
    public long pushMonolithic(String repo, BlobContent content, BlobContent.Blob blob) throws IOException {
        String location = startUpload(repo);
        HttpConnection.Response put = send("PUT", withDigest(location, blob.digest()),
                "Content-Type: application/octet-stream\r\n", content.body(blob, 0, blob.size()), true);
        expect(put, "PUT " + repo + " blob upload", 201);
        return blob.size();
    }

    /** A chunked push: POST, PATCHes of {@code chunkSize} bytes, then PUT with the digest. Returns the bytes sent. */
    public long pushChunked(String repo, BlobContent content, BlobContent.Blob blob, long chunkSize)
            throws IOException {
        String location = startUpload(repo);
        for (long from = 0; from < blob.size(); from += chunkSize) {
            long to = Math.min(blob.size(), from + chunkSize);
            HttpConnection.Response patch = send("PATCH", location, "Content-Type: application/octet-stream\r\n"
                    + "Content-Range: " + from + "-" + (to - 1) + "\r\n", content.body(blob, from, to), true);
            expect(patch, "PATCH " + repo + " upload at " + from, 202);
            location = location(patch, "PATCH " + repo + " upload");
        }
        HttpConnection.Response put = send("PUT", withDigest(location, blob.digest()), null, EMPTY, true);
        expect(put, "PUT " + repo + " chunked upload", 201);
        return blob.size();
    }

    /** Pushes {@code bytes} as one blob in one POST and PUT, for the fixtures. */
    public void pushBytes(String repo, byte[] bytes, String digest) throws IOException {
        String location = startUpload(repo);
        HttpConnection.Response put = send("PUT", withDigest(location, digest),
                "Content-Type: application/octet-stream\r\n", bytes(bytes), true);
        expect(put, "PUT " + repo + " blob " + digest, 201);
    }

    /** Mounts {@code digest} from repository {@code from} into {@code repo}; false when the registry would not. */
    public boolean mount(String repo, String digest, String from) throws IOException {
        HttpConnection.Response r = send("POST", "/v2/" + repo + "/blobs/uploads/?mount=" + digest + "&from=" + from,
                null, EMPTY, true);
        if (r.status() == 201) {
            return true;
        }
        // 202: the registry started an upload instead; it is left to expire rather than spend a request on it.
        expect(r, "POST " + repo + " mount " + digest, 202);
        return false;
    }

    /** True when {@code repo} has the blob. */
    public boolean hasBlob(String repo, String digest) throws IOException {
        HttpConnection.Response r = send("HEAD", "/v2/" + repo + "/blobs/" + digest, null, null, false);
        if (r.status() == 404) {
            return false;
        }
        expect(r, "HEAD " + repo + " blob " + digest, 200);
        return true;
    }

    /** GETs a blob and returns its length, reading but not keeping the bytes. */
    public long pullBlob(String repo, String digest) throws IOException {
        HttpConnection.Response r = send("GET", "/v2/" + repo + "/blobs/" + digest, null, null, false);
        expect(r, "GET " + repo + " blob " + digest, 200);
        return r.bodyLength();
    }

    /** GETs or HEADs a manifest; returns the bytes received (the Content-Length for a HEAD). */
    public long readManifest(String repo, String reference, boolean head) throws IOException {
        HttpConnection.Response r = send(head ? "HEAD" : "GET", "/v2/" + repo + "/manifests/" + reference,
                "Accept: " + MANIFEST_ACCEPT + "\r\n", null, false);
        expect(r, (head ? "HEAD " : "GET ") + repo + " manifest " + reference, 200);
        return r.bodyLength();
    }

    /** The digest a manifest reference resolves to, or empty when the registry does not know it. */
    public Optional<String> manifestDigest(String repo, String reference) throws IOException {
        HttpConnection.Response r = send("HEAD", "/v2/" + repo + "/manifests/" + reference,
                "Accept: " + MANIFEST_ACCEPT + "\r\n", null, false);
        if (r.status() == 404) {
            return Optional.empty();
        }
        expect(r, "HEAD " + repo + " manifest " + reference, 200);
        return Optional.ofNullable(r.header("Docker-Content-Digest"));
    }

    /** PUTs a manifest under {@code reference}. */
    public void putManifest(String repo, String reference, byte[] manifest, String mediaType) throws IOException {
        HttpConnection.Response r = send("PUT", "/v2/" + repo + "/manifests/" + reference,
                "Content-Type: " + mediaType + "\r\n", bytes(manifest), true);
        expect(r, "PUT " + repo + " manifest " + reference, 201);
    }

    /** The whole tag list of {@code repo}, following {@code Link} pages of {@code pageSize} (0: the server's). */
    public Listing tags(String repo, int pageSize) throws IOException {
        return list("/v2/" + repo + "/tags/list", "tags", pageSize);
    }

    /** The whole catalog, following {@code Link} pages of {@code pageSize} (0: the server's). */
    public Listing catalog(int pageSize) throws IOException {
        return list("/v2/_catalog", "repositories", pageSize);
    }

    /** What a listing returned: its names, the pages it took and the bytes received. */
    public record Listing(List<String> names, int pages, long bytes) {}

    private Listing list(String path, String field, int pageSize) throws IOException {
        List<String> names = new ArrayList<>();
        int pages = 0;
        long bytes = 0;
        String next = pageSize > 0 ? path + "?n=" + pageSize : path;
        while (next != null) {
            HttpConnection.Response r = send("GET", next, null, null, true);
            if (r.status() == 404 && field.equals("tags") && pages == 0) {
                return new Listing(List.of(), 1, r.bodyLength()); // a repository not created yet
            }
            expect(r, "GET " + next, 200);
            pages++;
            bytes += r.bodyLength();
            JsonNode list = JSON.readTree(r.body()).path(field);
            list.forEach(name -> names.add(name.asText()));
            String link = r.header("Link");
            next = link == null || list.isEmpty() ? null : nextPage(link);
        }
        return new Listing(names, pages, bytes);
    }

    private String nextPage(String link) {
        Matcher m = NEXT_LINK.matcher(link);
        return m.find() ? m.group(1) : null;
    }

    private String startUpload(String repo) throws IOException {
        HttpConnection.Response post = send("POST", "/v2/" + repo + "/blobs/uploads/", null, EMPTY, true);
        expect(post, "POST " + repo + " upload", 202);
        return location(post, "POST " + repo + " upload");
    }

    private static String location(HttpConnection.Response r, String what) throws RegistryCallException {
        String location = r.header("Location");
        if (location == null) {
            throw new RegistryCallException(what + " answered " + r.status() + " without a Location");
        }
        return location;
    }

    /** The upload location with {@code digest=} added: a registry's location may carry its own query already. */
    static String withDigest(String location, String digest) {
        return location + (location.indexOf('?') < 0 ? "?" : "&") + "digest=" + digest;
    }

    /**
     * Sends one request on an idle connection, or a new one; a request that fails on a connection that was kept
     * idle is sent once more on a new connection, as the server may have closed it in the meantime.
     */
    private HttpConnection.Response send(String method, String target, String headers, HttpConnection.Body body,
            boolean keepBody) throws IOException {
        byte[] head = head(method, target, headers);
        boolean isHead = method.equals("HEAD");
        HttpConnection connection = idle.poll();
        if (connection != null) {
            try {
                requests.increment();
                return release(connection, connection.exchange(head, body, isHead, keepBody));
            } catch (IOException e) {
                // the server closed the kept connection: retried below on a new one
            }
        }
        connection = HttpConnection.open(base);
        requests.increment();
        return release(connection, connection.exchange(head, body, isHead, keepBody));
    }

    private HttpConnection.Response release(HttpConnection connection, HttpConnection.Response response) {
        if (connection.reusable() && !closed) {
            idle.add(connection);
        } else {
            connection.close();
        }
        return response;
    }

    /** The request line and headers; the body's length and the blank line follow in {@link HttpConnection}. */
    private byte[] head(String method, String target, String headers) {
        URI uri = base.resolve(target);
        if (!sameOrigin(uri)) {
            throw new IllegalArgumentException("the registry sent the client to another host: " + uri);
        }
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        if (authorization != null) {
            b.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (headers != null) {
            b.append(headers);
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private boolean sameOrigin(URI uri) {
        return uri.getHost() != null && uri.getHost().equalsIgnoreCase(base.getHost()) && uri.getPort() == base.getPort()
                && uri.getScheme().equals(base.getScheme());
    }

    private static void expect(HttpConnection.Response r, String what, int status) throws RegistryCallException {
        if (r.status() != status) {
            String body = r.body() == null ? ""
                    : ": " + new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8).strip();
            throw new RegistryCallException(what + " answered " + r.status() + " (expected " + status + ")" + body);
        }
    }

    private static final HttpConnection.Body EMPTY = bytes(new byte[0]);

    private static HttpConnection.Body bytes(byte[] bytes) {
        return new HttpConnection.Body() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        for (HttpConnection c; (c = idle.poll()) != null; ) {
            c.close();
        }
    }

    /** An answer the benchmark did not expect; the operation counts as an error. */
    public static final class RegistryCallException extends IOException {
        RegistryCallException(String message) {
            super(message);
        }
    }
}
