package dev.berth.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.auth.AccessControl;
import dev.berth.auth.Action;
import dev.berth.auth.Challenge;
import dev.berth.auth.Principal;
import dev.berth.observe.RequestIds;
import dev.berth.observe.Route;
import dev.berth.registry.BlobInfo;
import dev.berth.registry.ChunkRange;
import dev.berth.registry.ClientDisconnectedException;
import dev.berth.registry.CorruptBlobException;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.IncomingChunk;
import dev.berth.registry.ManifestStore;
import dev.berth.registry.MediaTypes;
import dev.berth.registry.Namespace;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.Tag;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.InvalidDigestException;
import dev.berth.storage.BufferReadable;
import dev.berth.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI Distribution API (end-1 to end-14, and {@code _catalog}) over the registry domain: one method per
 * endpoint, each parsing its request, calling the domain, and writing the response.
 */
public final class RegistryHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(RegistryHandler.class);
    private static final String NAME = "(?<name>.+?)";
    private static final Pattern UPLOADS = Pattern.compile("/v2/" + NAME + "/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/" + NAME + "/blobs/uploads/(?<id>[^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/" + NAME + "/blobs/(?<digest>[^/]+)");
    private static final Pattern MANIFEST = Pattern.compile("/v2/" + NAME + "/manifests/(?<reference>[^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/" + NAME + "/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("/v2/" + NAME + "/referrers/(?<digest>[^/]+)");
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");
    private static final int MAX_PAGE = 10_000;
    private static final int COPY_BUFFER = 256 * 1024;
    /** Bodies up to this size are read to their end when refused; larger ones close the connection instead. */
    private static final long MAX_DRAINED_BODY = 16L * 1024 * 1024;

    private final Registry registry;
    private final String publicUrl;
    private final boolean deleteEnabled;
    private final AccessControl access;

    public RegistryHandler(Registry registry, String publicUrl, boolean deleteEnabled, AccessControl access) {
        this.registry = registry;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        this.deleteEnabled = deleteEnabled;
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        try {
            route(request, response, callback);
        } catch (RegistryException e) {
            drainSmallBody(request);
            Responses.error(request, response, callback, withAbsoluteRealm(e, request));
        } catch (ByteRange.Unsatisfiable e) {
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + e.size);
            Responses.error(request, response, callback, RegistryException.withStatus(416, ErrorCode.SIZE_INVALID,
                    "requested range not satisfiable"));
        } catch (ClientDisconnectedException e) {
            log.info("{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), e.getMessage());
            callback.failed(e);
        } catch (StorageException e) {
            log.error("{} {}: storage failed", request.getMethod(), request.getHttpURI().getPath(), e);
            serverError(request, response, callback, "storage failed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} {}: unexpected failure", request.getMethod(), request.getHttpURI().getPath(), e);
            serverError(request, response, callback, "internal error");
        }
        return true;
    }

    /**
     * {@code e} with a bearer challenge's realm that is a path ({@code /token}, when no realm or public URL is
     * configured) put under the URL this request reached, so clients find the token endpoint where they found us.
     */
    private RegistryException withAbsoluteRealm(RegistryException e, Request request) {
        String challenge = e.headers().get("WWW-Authenticate");
        if (challenge == null) {
            return e;
        }
        String absolute = Challenge.withRealmBase(challenge, base(request));
        if (absolute.equals(challenge)) {
            return e;
        }
        Map<String, String> headers = new LinkedHashMap<>(e.headers());
        headers.put("WWW-Authenticate", absolute);
        return new RegistryException(e.status(), e.errors(), headers);
    }

    /**
     * Reads what is left of a small refused body, so the connection stays usable: a client that already sent its
     * next request on it would otherwise see the connection closed under that request.
     */
    private static void drainSmallBody(Request request) {
        long length = request.getLength();
        if (length > 0 && length <= MAX_DRAINED_BODY) {
            try {
                Content.Source.consumeAll(request);
            } catch (IOException | RuntimeException e) {
                log.debug("{} {}: refused body not drained: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
            }
        }
    }

    private void route(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        // The authorization hook: who calls, then each route below asks for the action it needs.
        Principal caller = access.authenticate(RequestCredentials.of(request));
        ObservedRequest.caller(request, caller);
        Matcher m;
        if (path.equals("/v2/") || path.equals("/v2")) {
            ObservedRequest.route(request, Route.BASE, null);
            only(method, "GET", "HEAD");
            access.requireAuthenticated(caller);
            Responses.bytes(request, response, callback, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/v2/_catalog")) {
            ObservedRequest.route(request, Route.CATALOG, null);
            only(method, "GET");
            access.requireLogin(caller);
            catalog(request, response, callback, access.listable(caller));
        } else if ((m = UPLOADS.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.BLOB_UPLOAD, m.group("name"));
            only(method, "POST");
            startUpload(request, response, callback, allowed(caller, name(m), Action.PUSH), access.readable(caller));
        } else if ((m = UPLOAD.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.BLOB_UPLOAD, m.group("name"));
            ObservedRequest.upload(request, m.group("id"));
            upload(request, response, callback, allowed(caller, name(m), Action.PUSH), m.group("id"));
        } else if ((m = BLOB.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.BLOB, m.group("name"));
            blob(request, response, callback, allowed(caller, name(m), byMethod(method)), digest(m.group("digest")));
        } else if ((m = MANIFEST.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.MANIFEST, m.group("name"));
            manifest(request, response, callback, allowed(caller, name(m), byMethod(method)),
                    reference(m.group("reference")));
        } else if ((m = TAGS.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.TAGS, m.group("name"));
            only(method, "GET");
            tags(request, response, callback, allowed(caller, name(m), Action.PULL));
        } else if ((m = REFERRERS.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.REFERRERS, m.group("name"));
            only(method, "GET");
            referrers(request, response, callback, allowed(caller, name(m), Action.PULL), digest(m.group("digest")));
        } else {
            throw RegistryException.withStatus(404, ErrorCode.UNSUPPORTED, "not a registry endpoint: " + path);
        }
    }

    /** {@code repo} once {@code caller} may do {@code action} on it; refused otherwise, before any storage access. */
    private RepositoryName allowed(Principal caller, RepositoryName repo, Action action) {
        access.require(caller, action, repo);
        return repo;
    }

    /** Reading a blob or manifest needs pull, deleting it delete, anything else push. */
    private static Action byMethod(String method) {
        return switch (method) {
            case "GET", "HEAD" -> Action.PULL;
            case "DELETE" -> Action.DELETE;
            default -> Action.PUSH;
        };
    }

    // ---- blobs (end-2, end-10)

    private void blob(Request request, Response response, Callback callback, RepositoryName repo, Digest digest) {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> readBlob(request, response, callback, repo, digest);
            case "DELETE" -> {
                requireDeleteEnabled();
                registry.blobs().unlink(ns(), repo, digest);
                Responses.empty(response, callback, 202);
            }
            default -> throw notAllowed(request.getMethod());
        }
    }

    private void readBlob(Request request, Response response, Callback callback, RepositoryName repo, Digest digest) {
        // A client that saw the blob may skip uploading it: confirming keeps it young for garbage collection.
        BlobInfo blob = registry.blobs().requireConfirmed(ns(), repo, digest);
        Optional<ByteRange> range = ByteRange.parse(request.getHeaders().get(HttpHeader.RANGE), blob.size());
        long offset = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse(blob.size());
        boolean get = !"HEAD".equals(request.getMethod());
        boolean body = get && length > 0;
        // Opened before any header is set, so a backend that fails to open it gets a plain 5xx answer. The reader
        // hashes full reads as the verify-on-read policy asks, and fails the read of a wrong blob's last bytes
        // instead of returning them, so this loop never writes the whole of a corrupt blob.
        InputStream in = get ? registry.reader().open(ns(), blob, offset, length) : InputStream.nullInputStream();
        var headers = response.getHeaders();
        headers.put("Docker-Content-Digest", digest.toString());
        headers.put(HttpHeader.ETAG, "\"" + digest + "\"");
        headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
        headers.put(HttpHeader.CACHE_CONTROL, "max-age=31536000");
        headers.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        headers.put(HttpHeader.CONTENT_LENGTH, length);
        if (range.isPresent()) {
            headers.put(HttpHeader.CONTENT_RANGE,
                    "bytes " + range.get().start() + "-" + range.get().end() + "/" + blob.size());
        }
        response.setStatus(range.isPresent() ? 206 : 200);
        if (!body) {
            response.write(true, null, callback);
            return;
        }
        try (in) {
            long copied = in instanceof BufferReadable direct
                    ? copyDirect(request, response, direct, length)
                    : copyThroughArray(response, in, length);
            if (copied != length) {
                throw new StoreReadException("the store ended the blob after " + copied + " of " + length + " bytes");
            }
        } catch (IOException e) {
            // The status line is gone already; failing the callback aborts the response so the client sees a short
            // body, never a clean end of a response that lacks bytes.
            if (e instanceof StoreReadException) {
                log.error("GET blob {} in {} aborted: reading the store failed: {}", digest, repo, e.getMessage());
            } else {
                log.info("GET blob {} in {} stopped: {}", digest, repo, e.toString());
            }
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    /**
     * Streams through pooled direct buffers, which the store fills and the socket drains without a copy into a Java
     * array in between; each write completes before its buffer is filled again.
     */
    private static long copyDirect(Request request, Response response, BufferReadable in, long length)
            throws IOException {
        RetainableByteBuffer pooled = request.getComponents().getByteBufferPool()
                .acquire((int) Math.min(COPY_BUFFER, length), true);
        try {
            ByteBuffer buffer = pooled.getByteBuffer();
            long copied = 0;
            while (copied < length) {
                buffer.clear();
                int n = readFromStore(in, buffer);
                if (n <= 0) {
                    break;
                }
                buffer.flip();
                try (Blocker.Callback written = Blocker.callback()) {
                    response.write(false, buffer, written);
                    written.block();
                }
                copied += n;
            }
            return copied;
        } finally {
            pooled.release();
        }
    }

    /** Streams a store's plain {@link InputStream} through one array. */
    private static long copyThroughArray(Response response, InputStream in, long length) throws IOException {
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, length)];
            long copied = 0;
            int n;
            while ((n = readFromStore(in, buffer)) > 0) {
                out.write(buffer, 0, n);
                copied += n;
            }
            return copied;
        }
    }

    private static int readFromStore(BufferReadable in, ByteBuffer buffer) throws StoreReadException {
        try {
            return in.read(buffer);
        } catch (CorruptBlobException e) {
            throw new StoreReadException(e.getMessage());
        } catch (IOException e) {
            throw new StoreReadException(e.toString());
        }
    }

    private static int readFromStore(InputStream in, byte[] buffer) throws StoreReadException {
        try {
            return in.read(buffer);
        } catch (CorruptBlobException e) {
            throw new StoreReadException(e.getMessage());
        } catch (IOException e) {
            throw new StoreReadException(e.toString());
        }
    }

    /** A blob read that failed on the store's side, as opposed to the client going away. */
    private static final class StoreReadException extends IOException {
        StoreReadException(String message) {
            super(message);
        }
    }

    // ---- uploads (end-4, end-5, end-6, end-11, end-13, end-14)

    private void startUpload(Request request, Response response, Callback callback, RepositoryName repo,
            Predicate<RepositoryName> readable) {
        Fields query = Request.extractQueryParameters(request);
        String mount = query.getValue("mount");
        if (mount != null) {
            Digest digest = digest(mount);
            String from = query.getValue("from");
            // A mount needs pull on the source; without it the client gets an upload session, as from Distribution,
            // which says nothing about whether the source holds the blob.
            RepositoryName source = from == null ? null : new RepositoryName(from);
            boolean mounted = source != null
                    ? readable.test(source) && registry.blobs().mount(ns(), source, repo, digest)
                    : registry.blobs().mountAny(ns(), repo, digest, readable);
            if (mounted) {
                blobCreated(response, callback, request, repo, digest);
                return;
            }
        }
        String digestParam = query.getValue("digest");
        DigestAlgorithm algorithm = algorithm(query.getValue("digest-algorithm"));
        if (digestParam != null) {
            Digest digest = digest(digestParam);
            UploadRecord record = registry.uploads().start(ns(), repo, digest.algorithm());
            registry.uploads().complete(ns(), repo, record.id(), digest,
                    new IncomingChunk(body(request), request.getLength(), null));
            blobCreated(response, callback, request, repo, digest);
            return;
        }
        UploadRecord record = registry.uploads().start(ns(), repo, algorithm);
        uploadAccepted(request, response, callback, repo, record, 202);
    }

    private void upload(Request request, Response response, Callback callback, RepositoryName repo, String id) {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> uploadAccepted(request, response, callback, repo,
                    registry.uploads().status(ns(), repo, id), 204);
            case "PATCH" -> {
                UploadRecord record = registry.uploads().append(ns(), repo, id,
                        new IncomingChunk(body(request), request.getLength(), contentRange(request)));
                uploadAccepted(request, response, callback, repo, record, 202);
            }
            case "PUT" -> {
                Fields query = Request.extractQueryParameters(request);
                String digestParam = query.getValue("digest");
                if (digestParam == null) {
                    throw new RegistryException(ErrorCode.DIGEST_INVALID, "the digest query parameter is required");
                }
                Digest digest = digest(digestParam);
                ChunkRange range = contentRange(request);
                boolean hasBody = range != null || request.getLength() != 0;
                registry.uploads().complete(ns(), repo, id, digest,
                        hasBody ? new IncomingChunk(body(request), request.getLength(), range) : null);
                blobCreated(response, callback, request, repo, digest);
            }
            case "DELETE" -> {
                registry.uploads().cancel(ns(), repo, id);
                Responses.empty(response, callback, 204);
            }
            default -> throw notAllowed(request.getMethod());
        }
    }

    private void uploadAccepted(Request request, Response response, Callback callback, RepositoryName repo,
            UploadRecord record, int status) {
        var headers = response.getHeaders();
        headers.put(HttpHeader.LOCATION, base(request) + "/v2/" + repo + "/blobs/uploads/" + record.id());
        headers.put(HttpHeader.RANGE, record.rangeHeader());
        headers.put("Docker-Upload-UUID", record.id());
        Responses.empty(response, callback, status);
    }

    private void blobCreated(Response response, Callback callback, Request request, RepositoryName repo, Digest digest) {
        response.getHeaders().put(HttpHeader.LOCATION, base(request) + "/v2/" + repo + "/blobs/" + digest);
        response.getHeaders().put("Docker-Content-Digest", digest.toString());
        Responses.empty(response, callback, 201);
    }

    // ---- manifests (end-3, end-7, end-9)

    private void manifest(Request request, Response response, Callback callback, RepositoryName repo, String reference) {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> {
                ManifestStore.ManifestInfo info;
                byte[] body;
                if ("HEAD".equals(request.getMethod())) {
                    info = registry.manifests().stat(ns(), repo, reference);
                    body = null;
                } else {
                    ManifestStore.Manifest manifest = registry.manifests().get(ns(), repo, reference);
                    info = manifest.info();
                    body = manifest.body();
                }
                response.getHeaders().put("Docker-Content-Digest", info.digest().toString());
                response.getHeaders().put(HttpHeader.ETAG, "\"" + info.digest() + "\"");
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, info.mediaType());
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, info.size());
                response.write(true, body == null ? null : ByteBuffer.wrap(body), callback);
            }
            case "PUT" -> putManifest(request, response, callback, repo, reference);
            case "DELETE" -> {
                requireDeleteEnabled();
                registry.manifests().delete(ns(), repo, reference);
                Responses.empty(response, callback, 202);
            }
            default -> throw notAllowed(request.getMethod());
        }
    }

    private void putManifest(Request request, Response response, Callback callback, RepositoryName repo,
            String reference) {
        long max = registry.manifests().maxSize();
        if (request.getLength() > max) {
            throw RegistryException.withStatus(413, ErrorCode.MANIFEST_INVALID,
                    "manifest is larger than the limit of " + max + " bytes");
        }
        List<String> tags = Request.extractQueryParameters(request).getValuesOrEmpty("tag");
        for (String tag : tags) {
            new Tag(tag); // one invalid tag refuses the whole request before the body is read
        }
        byte[] body;
        try (InputStream in = body(request)) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            throw new ClientDisconnectedException("reading the manifest failed: " + e.getMessage(), e);
        }
        ManifestStore.PutResult result = registry.manifests().put(ns(), repo, reference, body,
                request.getHeaders().get(HttpHeader.CONTENT_TYPE), tags);
        var headers = response.getHeaders();
        headers.put(HttpHeader.LOCATION, base(request) + "/v2/" + repo + "/manifests/" + result.digest());
        headers.put("Docker-Content-Digest", result.digest().toString());
        if (result.subject() != null) {
            headers.put("OCI-Subject", result.subject().toString());
        }
        for (Tag tag : result.tags()) {
            headers.add("OCI-Tag", tag.value());
        }
        Responses.empty(response, callback, 201);
    }

    // ---- listings (end-8, end-12, _catalog)

    private void tags(Request request, Response response, Callback callback, RepositoryName repo) {
        Fields query = Request.extractQueryParameters(request);
        int n = pageSize(query.getValue("n"));
        String last = query.getValue("last");
        ManifestStore.TagPage page = registry.manifests().tags(ns(), repo, last, n);
        if (page.more() && !page.tags().isEmpty()) {
            String lastTag = page.tags().get(page.tags().size() - 1);
            response.getHeaders().put(HttpHeader.LINK,
                    "</v2/" + repo + "/tags/list?n=" + n + "&last=" + encode(lastTag) + ">; rel=\"next\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", repo.value());
        body.put("tags", page.tags());
        Responses.json(request, response, callback, 200, "application/json", body);
    }

    private void catalog(Request request, Response response, Callback callback, Predicate<RepositoryName> readable) {
        Fields query = Request.extractQueryParameters(request);
        int n = pageSize(query.getValue("n"));
        var page = registry.catalog().page(ns(), query.getValue("last"), n, readable);
        if (page.more() && !page.names().isEmpty()) {
            String last = page.names().get(page.names().size() - 1);
            response.getHeaders().put(HttpHeader.LINK,
                    "</v2/_catalog?n=" + n + "&last=" + encode(last) + ">; rel=\"next\"");
        }
        Responses.json(request, response, callback, 200, "application/json", Map.of("repositories", page.names()));
    }

    private void referrers(Request request, Response response, Callback callback, RepositoryName repo, Digest subject) {
        String artifactType = Request.extractQueryParameters(request).getValue("artifactType");
        List<ObjectNode> descriptors = registry.manifests().referrers(ns(), repo, subject, artifactType);
        ObjectNode index = Responses.JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.putArray("manifests").addAll(descriptors);
        if (artifactType != null) {
            response.getHeaders().put("OCI-Filters-Applied", "artifactType");
        }
        Responses.json(request, response, callback, 200, MediaTypes.OCI_INDEX, index);
    }

    // ---- request parsing

    private static RepositoryName name(Matcher m) {
        String name = m.group("name");
        if (name.indexOf('%') >= 0) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name", name);
        }
        return new RepositoryName(name);
    }

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidDigestException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage(), text);
        }
    }

    private static String reference(String text) {
        if (Digest.looksLikeDigest(text)) {
            return digest(text).toString();
        }
        return new Tag(text).value();
    }

    private static DigestAlgorithm algorithm(String id) {
        if (id == null) {
            return DigestAlgorithm.SHA256;
        }
        return DigestAlgorithm.byId(id).orElseThrow(() -> new RegistryException(ErrorCode.DIGEST_INVALID,
                "unsupported digest algorithm '" + id + "'; use sha256 or sha512"));
    }

    private static ChunkRange contentRange(Request request) {
        String header = request.getHeaders().get(HttpHeader.CONTENT_RANGE);
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw RegistryException.withStatus(416, ErrorCode.BLOB_UPLOAD_INVALID,
                    "Content-Range must be start-end, got '" + header + "'");
        }
        try {
            return new ChunkRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw RegistryException.withStatus(416, ErrorCode.BLOB_UPLOAD_INVALID, "Content-Range out of range");
        }
    }

    private static int pageSize(String n) {
        if (n == null) {
            return MAX_PAGE;
        }
        try {
            int value = Integer.parseInt(n);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Math.min(value, MAX_PAGE);
        } catch (NumberFormatException e) {
            throw RegistryException.withStatus(400, ErrorCode.UNSUPPORTED, "n must be a non-negative integer: " + n);
        }
    }

    private static InputStream body(Request request) {
        return Content.Source.asInputStream(request);
    }

    private String base(Request request) {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        var uri = request.getHttpURI();
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Namespace ns() {
        return Namespace.DEFAULT;
    }

    private void requireDeleteEnabled() {
        if (!deleteEnabled) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "deletes are disabled on this registry");
        }
    }

    private static void only(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw notAllowed(method);
    }

    private static RegistryException notAllowed(String method) {
        return new RegistryException(ErrorCode.UNSUPPORTED, "method " + method + " is not allowed here");
    }

    private static void serverError(Request request, Response response, Callback callback, String message) {
        byte[] body = Responses.errorBody("UNKNOWN", message);
        try {
            if (!response.isCommitted()) {
                // Drop what the failed handler had set up, such as a blob's digest, length and cache headers.
                response.reset();
                response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
                String requestId = ObservedRequest.requestId(request);
                if (requestId != null) {
                    response.getHeaders().put(RequestIds.HEADER, requestId);
                }
            }
            response.setStatus(500);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
            response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(body), callback);
        } catch (IllegalStateException committed) {
            callback.failed(committed);
        }
    }
}
