package dev.berth.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.auth.AccessControl;
import dev.berth.auth.Action;
import dev.berth.auth.Challenge;
import dev.berth.auth.Principal;
import dev.berth.events.EventOrigin;
import dev.berth.events.Notifier;
import dev.berth.observe.RequestIds;
import dev.berth.observe.Route;
import dev.berth.registry.BlobInfo;
import dev.berth.registry.BlobStore;
import dev.berth.registry.ChunkRange;
import dev.berth.registry.ClientDisconnectedException;
import dev.berth.registry.CorruptBlobException;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.IncomingChunk;
import dev.berth.registry.ManifestStore;
import dev.berth.registry.MediaTypes;
import dev.berth.registry.Namespaces;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryAddress;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.Site;
import dev.berth.registry.Tag;
import dev.berth.registry.UploadRecord;
import dev.berth.registry.digest.Digest;
import dev.berth.registry.digest.DigestAlgorithm;
import dev.berth.registry.digest.InvalidDigestException;
import dev.berth.storage.BufferReadable;
import dev.berth.storage.StorageException;
import dev.berth.storage.ViewReadable;
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
import java.util.concurrent.Executor;
import java.util.function.Consumer;
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
    /** Bytes per view of a stored blob; 1, 4 and 16 MiB served a 1 GiB GET equally fast here, 4 MiB keeps few mapped. */
    private static final int VIEW_WINDOW = 4 * 1024 * 1024;
    /** Bodies up to this size are read to their end when refused; larger ones close the connection instead. */
    private static final long MAX_DRAINED_BODY = 16L * 1024 * 1024;

    private final Registry registry;
    private final Namespaces namespaces;
    private final String publicUrl;
    private final boolean deleteEnabled;
    private final AccessControl access;
    private final Executor blockingWork;
    private final boolean inlineManifestReads;
    private final Notifier events;

    /**
     * @param blockingWork runs requests that may block (bodies, store round trips, password checks)
     * @param inlineManifestReads whether anonymous manifest reads may run on the thread that parsed them: only for a
     *     store whose reads are local system calls of microseconds (filesystem, memory), never across a network
     * @param events told what the handler completed (pushes, pulls, mounts, deletes)
     */
    public RegistryHandler(Registry registry, String publicUrl, boolean deleteEnabled, AccessControl access,
            Executor blockingWork, boolean inlineManifestReads, Notifier events) {
        this.registry = registry;
        this.namespaces = registry.namespaces();
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
        this.deleteEnabled = deleteEnabled;
        this.access = access;
        this.blockingWork = blockingWork;
        this.inlineManifestReads = inlineManifestReads;
        this.events = events;
    }

    /**
     * Non-blocking as far as Jetty knows, so that a manifest read, the hottest request of a registry, runs on the
     * thread that parsed it instead of waking another; {@link #handle} hands everything that may block to
     * {@code blockingWork} itself.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (inlineManifestReads && isAnonymousManifestRead(request)) {
            serve(request, response, callback);
            return true;
        }
        Responses.dispatch(blockingWork, request, response, callback, () -> serve(request, response, callback));
        return true;
    }

    /**
     * A GET or HEAD of a manifest without credentials to check: tag and link stats and, at worst, small file reads;
     * nothing that waits on a client, a network or a password hash.
     */
    private static boolean isAnonymousManifestRead(Request request) {
        String method = request.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method))
                && request.getHttpURI().getPath().contains("/manifests/")
                && !request.getHeaders().contains(HttpHeader.AUTHORIZATION);
    }

    private void serve(Request request, Response response, Callback callback) {
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        // The host name chooses the site: a namespace of its own, or the root where names choose namespaces.
        Site site = namespaces.site(request.getHttpURI().getHost());
        try {
            route(request, response, callback, site);
        } catch (RegistryException e) {
            drainSmallBody(request);
            Responses.error(request, response, callback, withAbsoluteRealm(e, request, site));
        } catch (ByteRange.Unsatisfiable e) {
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + e.size);
            Responses.error(request, response, callback, RegistryException.withStatus(416, ErrorCode.SIZE_INVALID,
                    "requested range not satisfiable"));
        } catch (ClientDisconnectedException e) {
            log.info("{} {}: {}", request.getMethod(), request.getHttpURI().getPath(), e.getMessage());
            callback.failed(e);
        } catch (StorageException e) {
            log.error("{} {}: storage failed", request.getMethod(), request.getHttpURI().getPath(), e);
            // A store that stopped reading a chunk leaves the rest of the body in the socket; closing on it would
            // reset the connection before the client reads this answer.
            drainSmallBody(request);
            serverError(request, response, callback, "storage failed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} {}: unexpected failure", request.getMethod(), request.getHttpURI().getPath(), e);
            drainSmallBody(request);
            serverError(request, response, callback, "internal error");
        }
    }

    /**
     * {@code e} with a bearer challenge's realm that is a path ({@code /token}, when no realm or public URL is
     * configured) put under the URL this request reached, so clients find the token endpoint where they found us.
     */
    private RegistryException withAbsoluteRealm(RegistryException e, Request request, Site site) {
        String challenge = e.headers().get("WWW-Authenticate");
        if (challenge == null) {
            return e;
        }
        String absolute = Challenge.withRealmBase(challenge, base(request, site));
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

    private void route(Request request, Response response, Callback callback, Site site) {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        // The authorization hook: who calls, then each route below asks for the action it needs.
        Principal caller = access.authenticate(RequestCredentials.of(request), site);
        request.setAttribute(EventOrigins.CALLER, caller);
        ObservedRequest.caller(request, caller);
        Matcher m;
        if (path.equals("/v2/") || path.equals("/v2")) {
            ObservedRequest.route(request, Route.BASE, null);
            only(method, "GET", "HEAD");
            access.requireAuthenticated(caller, site);
            Responses.bytes(request, response, callback, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/v2/_catalog")) {
            ObservedRequest.route(request, Route.CATALOG, null);
            only(method, "GET");
            access.requireLogin(caller, site);
            catalog(request, response, callback, site, access.listable(caller));
        } else if ((m = UPLOADS.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.BLOB_UPLOAD, m.group("name"));
            only(method, "POST");
            startUpload(request, response, callback, allowed(caller, name(site, m), Action.PUSH),
                    access.readable(caller));
        } else if ((m = UPLOAD.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.BLOB_UPLOAD, m.group("name"));
            ObservedRequest.upload(request, m.group("id"));
            upload(request, response, callback, allowed(caller, name(site, m), Action.PUSH), m.group("id"));
        } else if ((m = BLOB.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.BLOB, m.group("name"));
            blob(request, response, callback, allowed(caller, name(site, m), byMethod(method)),
                    digest(m.group("digest")));
        } else if ((m = MANIFEST.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.MANIFEST, m.group("name"));
            manifest(request, response, callback, allowed(caller, name(site, m), byMethod(method)),
                    reference(m.group("reference")));
        } else if ((m = TAGS.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.TAGS, m.group("name"));
            only(method, "GET");
            tags(request, response, callback, allowed(caller, name(site, m), Action.PULL));
        } else if ((m = REFERRERS.matcher(path)).matches()) {
            ObservedRequest.route(request, Route.REFERRERS, m.group("name"));
            only(method, "GET");
            referrers(request, response, callback, allowed(caller, name(site, m), Action.PULL),
                    digest(m.group("digest")));
        } else {
            throw RegistryException.withStatus(404, ErrorCode.UNSUPPORTED, "not a registry endpoint: " + path);
        }
    }

    /** {@code repo} once {@code caller} may do {@code action} on it; refused otherwise, before any storage access. */
    private RepositoryAddress allowed(Principal caller, RepositoryAddress repo, Action action) {
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

    private void blob(Request request, Response response, Callback callback, RepositoryAddress repo, Digest digest) {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> readBlob(request, response, callback, repo, digest);
            case "DELETE" -> {
                requireDeleteEnabled();
                registry.blobs().unlink(repo.namespace(), repo.name(), digest);
                emit(request, response, o -> events.blobDeleted(o, repo.clientName(), digest));
                Responses.empty(response, callback, 202);
            }
            default -> throw notAllowed(request.getMethod());
        }
    }

    private void readBlob(Request request, Response response, Callback callback, RepositoryAddress repo, Digest digest) {
        // A client that saw the blob may skip uploading it: confirming keeps it young for garbage collection.
        BlobInfo blob = registry.blobs().requireConfirmed(repo.namespace(), repo.name(), digest);
        Optional<ByteRange> range = ByteRange.parse(request.getHeaders().get(HttpHeader.RANGE), blob.size());
        long offset = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse(blob.size());
        boolean get = !"HEAD".equals(request.getMethod());
        boolean body = get && length > 0;
        // Opened before any header is set, so a backend that fails to open it gets a plain 5xx answer. The reader
        // hashes full reads as the verify-on-read policy asks, and fails the read of a wrong blob's last bytes
        // instead of returning them, so this loop never writes the whole of a corrupt blob.
        InputStream in = get ? registry.reader().open(repo.namespace(), blob, offset, length) : InputStream.nullInputStream();
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
            response.write(true, null, get && events.active() ? onSuccess(callback,
                    () -> emit(request, response, o -> events.blobPulled(o, repo.clientName(), digest, blob.size()))) : callback);
            return;
        }
        try (in) {
            long copied = in instanceof BufferReadable direct
                    ? copyDirect(request, response, direct, length)
                    : copyThroughArray(response, in, length);
            if (copied != length) {
                throw new StoreReadException("the store ended the blob after " + copied + " of " + length + " bytes",
                        false);
            }
        } catch (IOException e) {
            if (e instanceof StoreReadException) {
                log.error("GET blob {} in {} aborted: reading the store failed: {}", digest, repo, e.getMessage());
            } else {
                log.info("GET blob {} in {} stopped: {}", digest, repo, e.toString());
            }
            if (e instanceof StoreReadException failed && !response.isCommitted()) {
                // Nothing of the blob went out (a wrong blob within its first view): an error the client can read.
                response.reset();
                Responses.bytes(request, response, callback, 500, "application/json",
                        Responses.errorBody("UNKNOWN", failed.corrupt
                                ? "the stored bytes of " + digest + " failed verification on read"
                                : "reading the blob from storage failed"));
                return;
            }
            // The status line is gone already; failing the callback aborts the response so the client sees a short
            // body, never a clean end of a response that lacks bytes.
            callback.failed(e);
            return;
        }
        emit(request, response, o -> events.blobPulled(o, repo.clientName(), digest, blob.size()));
        callback.succeeded();
    }

    /**
     * Sends views of the stored bytes where the store lends them, so the socket takes them straight from the page
     * cache; the rest streams through pooled direct buffers, which the store fills and the socket drains without a
     * copy into a Java array in between. Each write completes before the next view or fill.
     */
    private static long copyDirect(Request request, Response response, BufferReadable in, long length)
            throws IOException {
        long copied = in instanceof ViewReadable views && length >= COPY_BUFFER ? sendViews(response, views, length) : 0;
        if (copied == length) {
            return copied;
        }
        RetainableByteBuffer pooled = request.getComponents().getByteBufferPool()
                .acquire((int) Math.min(COPY_BUFFER, length - copied), true);
        try {
            ByteBuffer buffer = pooled.getByteBuffer();
            while (copied < length) {
                buffer.clear();
                int n = fromStore(() -> in.read(buffer));
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

    /** Sends views until the blob is sent, the store ends it, or the store lends no more; returns the bytes sent. */
    private static long sendViews(Response response, ViewReadable in, long length) throws IOException {
        long sent = 0;
        while (sent < length) {
            int max = (int) Math.min(VIEW_WINDOW, length - sent);
            ViewReadable.View view = fromStore(() -> in.view(max));
            if (view == null) {
                break;
            }
            // Closed (unmapped) only once the write is done with it, or has failed.
            try (view; Blocker.Callback written = Blocker.callback()) {
                ByteBuffer bytes = view.bytes();
                int n = bytes.remaining();
                if (n == 0) {
                    break;
                }
                response.write(false, bytes, written);
                written.block();
                sent += n;
            }
        }
        return sent;
    }

    /** Streams a store's plain {@link InputStream} through one array. */
    private static long copyThroughArray(Response response, InputStream in, long length) throws IOException {
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, length)];
            long copied = 0;
            int n;
            while ((n = fromStore(() -> in.read(buffer))) > 0) {
                out.write(buffer, 0, n);
                copied += n;
            }
            return copied;
        }
    }

    /** One read from the store's stream. */
    private interface StoreRead<T> {
        T read() throws IOException;
    }

    /** Runs {@code read}, reporting its failure as the store's, not the client's. */
    private static <T> T fromStore(StoreRead<T> read) throws StoreReadException {
        try {
            return read.read();
        } catch (CorruptBlobException e) {
            throw new StoreReadException(e.getMessage(), true);
        } catch (IOException e) {
            throw new StoreReadException(e.toString(), false);
        }
    }

    /** A blob read that failed on the store's side, as opposed to the client going away. */
    private static final class StoreReadException extends IOException {
        /** Whether the bytes failed their check, as opposed to the store failing to deliver them. */
        final boolean corrupt;

        StoreReadException(String message, boolean corrupt) {
            super(message);
            this.corrupt = corrupt;
        }
    }

    // ---- uploads (end-4, end-5, end-6, end-11, end-13, end-14)

    private void startUpload(Request request, Response response, Callback callback, RepositoryAddress repo,
            Predicate<RepositoryAddress> readable) {
        Fields query = Request.extractQueryParameters(request);
        String mount = query.getValue("mount");
        if (mount != null) {
            Digest digest = digest(mount);
            String from = query.getValue("from");
            // A mount needs pull on the source; without it the client gets an upload session, as from Distribution,
            // which says nothing about whether the source holds the blob. So does a source in another namespace:
            // namespaces share nothing, not even whether one of them holds a digest.
            RepositoryAddress source = from == null ? null : namespaces.address(repo.site(), new RepositoryName(from));
            Optional<BlobStore.Mount> mounted = source == null
                    ? registry.blobs().mountAny(repo.namespace(), repo.name(), digest,
                            holder -> readable.test(repo.sibling(holder)))
                    : source.namespace().equals(repo.namespace()) && readable.test(source)
                            ? registry.blobs().mount(repo.namespace(), source.name(), repo.name(), digest)
                                    .map(blob -> new BlobStore.Mount(source.name(), blob))
                            : Optional.empty();
            if (mounted.isPresent()) {
                BlobStore.Mount done = mounted.get();
                emit(request, response, o -> events.blobMounted(o, repo.clientName(), digest, done.blob().size(),
                        repo.sibling(done.from()).clientName()));
                blobCreated(response, callback, request, repo, digest);
                return;
            }
        }
        String digestParam = query.getValue("digest");
        DigestAlgorithm algorithm = algorithm(query.getValue("digest-algorithm"));
        if (digestParam != null) {
            Digest digest = digest(digestParam);
            UploadRecord record = registry.uploads().start(repo.namespace(), repo.name(), digest.algorithm());
            BlobInfo blob = registry.uploads().complete(repo.namespace(), repo.name(), record.id(), digest,
                    new IncomingChunk(body(request), request.getLength(), null));
            emit(request, response, o -> events.blobPushed(o, repo.clientName(), digest, blob.size()));
            blobCreated(response, callback, request, repo, digest);
            return;
        }
        UploadRecord record = registry.uploads().start(repo.namespace(), repo.name(), algorithm);
        uploadAccepted(request, response, callback, repo, record, 202);
    }

    private void upload(Request request, Response response, Callback callback, RepositoryAddress repo, String id) {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> uploadAccepted(request, response, callback, repo,
                    registry.uploads().status(repo.namespace(), repo.name(), id), 204);
            case "PATCH" -> {
                UploadRecord record = registry.uploads().append(repo.namespace(), repo.name(), id,
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
                BlobInfo blob = registry.uploads().complete(repo.namespace(), repo.name(), id, digest,
                        hasBody ? new IncomingChunk(body(request), request.getLength(), range) : null);
                emit(request, response, o -> events.blobPushed(o, repo.clientName(), digest, blob.size()));
                blobCreated(response, callback, request, repo, digest);
            }
            case "DELETE" -> {
                registry.uploads().cancel(repo.namespace(), repo.name(), id);
                Responses.empty(response, callback, 204);
            }
            default -> throw notAllowed(request.getMethod());
        }
    }

    private void uploadAccepted(Request request, Response response, Callback callback, RepositoryAddress repo,
            UploadRecord record, int status) {
        var headers = response.getHeaders();
        headers.put(HttpHeader.LOCATION, base(request, repo.site()) + "/v2/" + repo + "/blobs/uploads/" + record.id());
        headers.put(HttpHeader.RANGE, record.rangeHeader());
        headers.put("Docker-Upload-UUID", record.id());
        Responses.empty(response, callback, status);
    }

    private void blobCreated(Response response, Callback callback, Request request, RepositoryAddress repo, Digest digest) {
        response.getHeaders().put(HttpHeader.LOCATION, base(request, repo.site()) + "/v2/" + repo + "/blobs/" + digest);
        response.getHeaders().put("Docker-Content-Digest", digest.toString());
        Responses.empty(response, callback, 201);
    }

    // ---- manifests (end-3, end-7, end-9)

    private void manifest(Request request, Response response, Callback callback, RepositoryAddress repo, String reference) {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> {
                ManifestStore.ManifestInfo info;
                byte[] body;
                if ("HEAD".equals(request.getMethod())) {
                    info = registry.manifests().stat(repo.namespace(), repo.name(), reference);
                    body = null;
                } else {
                    ManifestStore.Manifest manifest = registry.manifests().get(repo.namespace(), repo.name(), reference);
                    info = manifest.info();
                    body = manifest.body();
                }
                response.getHeaders().put("Docker-Content-Digest", info.digest().toString());
                response.getHeaders().put(HttpHeader.ETAG, "\"" + info.digest() + "\"");
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, info.mediaType());
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, info.size());
                Tag tag = Digest.looksLikeDigest(reference) ? null : new Tag(reference);
                response.write(true, body == null ? null : ByteBuffer.wrap(body), body == null || !events.active()
                        ? callback : onSuccess(callback, () -> emit(request, response, o -> events.manifestPulled(o,
                                repo.clientName(), info.digest(), info.mediaType(), info.size(), tag))));
            }
            case "PUT" -> putManifest(request, response, callback, repo, reference);
            case "DELETE" -> {
                requireDeleteEnabled();
                List<Tag> deletedTags = registry.manifests().delete(repo.namespace(), repo.name(), reference);
                emit(request, response, o -> {
                    if (Digest.looksLikeDigest(reference)) {
                        events.manifestDeleted(o, repo.clientName(), Digest.parse(reference));
                    }
                    deletedTags.forEach(tag -> events.tagDeleted(o, repo.clientName(), tag));
                });
                Responses.empty(response, callback, 202);
            }
            default -> throw notAllowed(request.getMethod());
        }
    }

    private void putManifest(Request request, Response response, Callback callback, RepositoryAddress repo,
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
        ManifestStore.PutResult result = registry.manifests().put(repo.namespace(), repo.name(), reference, body,
                request.getHeaders().get(HttpHeader.CONTENT_TYPE), tags);
        emit(request, response, o -> events.manifestPushed(o, repo.clientName(), result.digest(), result.mediaType(), body.length,
                result.tags()));
        var headers = response.getHeaders();
        headers.put(HttpHeader.LOCATION, base(request, repo.site()) + "/v2/" + repo + "/manifests/" + result.digest());
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

    private void tags(Request request, Response response, Callback callback, RepositoryAddress repo) {
        Fields query = Request.extractQueryParameters(request);
        int n = pageSize(query.getValue("n"));
        String last = query.getValue("last");
        ManifestStore.TagPage page;
        try {
            page = registry.manifests().tags(repo.namespace(), repo.name(), last, n);
        } catch (RegistryException e) {
            throw withClientName(e, repo);
        }
        if (page.more() && !page.tags().isEmpty()) {
            String lastTag = page.tags().get(page.tags().size() - 1);
            response.getHeaders().put(HttpHeader.LINK,
                    "</v2/" + repo + "/tags/list?n=" + n + "&last=" + encode(lastTag) + ">; rel=\"next\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", repo.toString());
        body.put("tags", page.tags());
        Responses.json(request, response, callback, 200, "application/json", body);
    }

    private void catalog(Request request, Response response, Callback callback, Site site,
            Predicate<RepositoryAddress> listable) {
        Fields query = Request.extractQueryParameters(request);
        int n = pageSize(query.getValue("n"));
        // Every namespace the site reaches, each repository under the name its clients use.
        var page = registry.catalog().page(namespaces.views(site), query.getValue("last"), n,
                repo -> namespaces.reachable(repo) && listable.test(repo));
        if (page.more() && !page.names().isEmpty()) {
            String last = page.names().get(page.names().size() - 1);
            response.getHeaders().put(HttpHeader.LINK,
                    "</v2/_catalog?n=" + n + "&last=" + encode(last) + ">; rel=\"next\"");
        }
        Responses.json(request, response, callback, 200, "application/json", Map.of("repositories", page.names()));
    }

    private void referrers(Request request, Response response, Callback callback, RepositoryAddress repo, Digest subject) {
        String artifactType = Request.extractQueryParameters(request).getValue("artifactType");
        List<ObjectNode> descriptors = registry.manifests().referrers(repo.namespace(), repo.name(), subject, artifactType);
        ObjectNode index = Responses.JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.putArray("manifests").addAll(descriptors);
        if (artifactType != null) {
            response.getHeaders().put("OCI-Filters-Applied", "artifactType");
        }
        Responses.json(request, response, callback, 200, MediaTypes.OCI_INDEX, index);
    }

    // ---- events

    /** Reports a completed action to the event endpoints; its origin is only described when some endpoint listens. */
    private void emit(Request request, Response response, Consumer<EventOrigin> event) {
        if (events.active()) {
            event.accept(EventOrigins.of(request, response,
                    base(request, namespaces.site(request.getHttpURI().getHost()))));
        }
    }

    /** {@code callback}, running {@code action} first once the response is written. */
    private static Callback onSuccess(Callback callback, Runnable action) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                try {
                    action.run();
                } finally {
                    super.succeeded();
                }
            }
        };
    }

    // ---- request parsing

    /** The repository the path names, and the namespace that name (on {@code site}) chooses. */
    private RepositoryAddress name(Site site, Matcher m) {
        String name = m.group("name");
        if (name.indexOf('%') >= 0) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name", name);
        }
        return namespaces.address(site, new RepositoryName(name));
    }

    /** {@code e} with a detail naming the repository as stored replaced by the name the client used. */
    private static RegistryException withClientName(RegistryException e, RepositoryAddress repo) {
        String stored = repo.name().value();
        List<RegistryException.RegistryError> errors = e.errors().stream()
                .map(error -> stored.equals(error.detail())
                        ? new RegistryException.RegistryError(error.code(), error.message(), repo.toString())
                        : error)
                .toList();
        return new RegistryException(e.status(), errors, e.headers());
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

    /**
     * The base URL of {@code site}: the public URL configured for it (the top-level one for the root site),
     * else the one the request reached.
     */
    private String base(Request request, Site site) {
        Optional<String> configured = site.root()
                ? Optional.of(publicUrl).filter(url -> !url.isEmpty())
                : namespaces.publicUrl(site);
        if (configured.isPresent()) {
            return configured.get();
        }
        var uri = request.getHttpURI();
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
