package dev.berth.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenStack Swift backend, on Swift's REST API and the JDK's HTTP client: each key is an object in one
 * container.
 *
 * <p><b>Versions, etags and checksums.</b> Every write chooses a random version and stores it, with the CRC32C,
 * as parameters of the object's Content-Type ({@code application/octet-stream;berth-version=…;berth-crc32c=…}),
 * because the content type is the one attribute Swift returns both on HEAD and in container listings: a listing
 * then reports the same etag and checksum as a stat. The etag is the version, so it changes on every write even
 * when identical content is written again (Swift's own ETag, the MD5, would not). The CRC32C is also kept as
 * {@code X-Object-Meta-Crc32c}.
 *
 * <p><b>Streamed puts.</b> The body streams with Content-Length when the length is known, chunked otherwise, while
 * its MD5 and CRC32C are computed. Swift's returned ETag must equal the MD5, or the object is deleted and the put
 * fails. The CRC is known only at the end, after the headers went out, so it is stored by a metadata POST right
 * after the PUT (the POST changes neither content nor version). Until it lands, a stat reports no CRC, which
 * callers treat as unknown. A put of bytes in memory sends everything, with Swift checking the MD5 via the
 * {@code ETag} request header, in one PUT. A PUT whose body was started is never sent again; 401 and 412 come
 * before the body (the client sends {@code Expect: 100-continue}), so a token renewal can still resend it.
 *
 * <p><b>Bodies larger than one object</b> ({@link SwiftLimits#maxObjectBytes()}, Swift's {@code max_file_size},
 * 5 GiB by default) become Static Large Objects: the body is streamed as segments of at most that size into the
 * segments container (below), each checked against Swift's ETag as it is stored, and a manifest naming them is
 * written at the key last, so the key shows the whole object in one step; the CRC32C is combined from the
 * segments'. A declared length says up front whether this is needed. A body of unknown length streams to the key
 * as any other and stops where one object must end; only when more follows is that object copied server-side
 * into the first segment, the rest streamed as further segments and the manifest written over the key. So a body
 * that fits costs exactly what it did before, and one that does not costs one server-side copy of its first
 * segment, during which the key briefly holds that segment's bytes (Berth streams bodies of unknown length only
 * into upload chunks, which nothing reads before the upload records them). {@code ifAbsent} is checked before
 * the first segment is sent and again with the manifest.
 *
 * <p><b>Conditional puts are best effort</b> ({@link StoreCapabilities#atomicConditionalPut()} is false).
 * {@code ifAbsent} sends {@code If-None-Match: *}, which Swift checks when the PUT starts, not when it commits:
 * two concurrent PUTs of a new key both succeed (observed on Swift 2.30). Swift has no {@code If-Match} on PUT
 * (and ignores it on POST), so {@code ifMatch} is a HEAD, a comparison of the version, then the PUT. Within one
 * {@code SwiftStore} all writes to a key are serialised by a striped lock, so both conditions are exact among the
 * threads of one process; between processes, two writers can both win. A metadata POST of the loser can then also
 * land on the winner's content; since concurrent writers of one key write identical content in Berth (chunk keys
 * are per upload, blobs are content-addressed), this shows as a changed etag, not a wrong checksum.
 *
 * <p><b>Concatenation and segments.</b> {@link #concatenate} writes a Static Large Object manifest. Its segments
 * live in a second container, {@code <container>_segments}, as {@code <group>/<index>} for a random group per
 * concatenation, outside the key space so listings never see them. Each source is copied there server-side
 * ({@code COPY}), because the registry deletes its chunk objects after publishing and a manifest must not point at
 * objects that someone else deletes; a source too large for one segment (a large put's object) is copied segment
 * by segment instead. Every segment is then HEADed and its size, MD5 and CRC compared with its source, and the
 * manifest lists each segment's etag and size so that Swift checks them again. Past
 * {@link SwiftLimits#maxManifestSegments()} segments, manifests nest ({@link SegmentPlan}); nested manifests live
 * in the group too. The target's CRC32C is combined from the sources' ({@link Crc32cs#combine}).
 *
 * <p><b>Who owns segments.</b> Exactly one manifest owns a group. {@link #move} of a manifest copies the manifest
 * only ({@code ?multipart-manifest=get}), so the segments are not rewritten, and deletes the source manifest
 * alone, handing the group to the target. {@link #delete} of a manifest deletes its segments too
 * ({@code ?multipart-manifest=delete}). Segments are orphaned when a manifest is overwritten by another write, or
 * when a process dies between copying segments and writing the manifest; they are never visible as objects, and
 * a group no listed manifest names can be removed by age (a sweep is not implemented yet). A large put's segments
 * follow the same rules: its manifest owns their group.
 *
 * <p><b>Failures.</b> 5xx answers, connection errors and timeouts are retried with backoff per
 * {@link SwiftRetryPolicy}; 404, 412, 416 and other answers about the object never are. A 401 renews the token
 * once per request.
 */
public final class SwiftStore implements ObjectStore {
    private static final Logger log = LoggerFactory.getLogger(SwiftStore.class);
    private static final StoreCapabilities CAPABILITIES = new StoreCapabilities("swift", false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRC_HEADER = "X-Object-Meta-Crc32c";
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final int LOCK_STRIPES = 1024;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /**
     * How often a 404 is asked again before it is believed. A single-replica Swift 2.30 answers 404 to about one
     * HEAD in 200 while the object is being overwritten (observed on loopback); with three replicas the proxy asks
     * the others, but one replica has no other to ask.
     */
    private static final int NOT_FOUND_ATTEMPTS = 2;
    private static final DateTimeFormatter LISTING_TIME = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private final SwiftConnection swift;
    private final String container;
    private final String segments;
    private final SwiftLimits limits;
    private final Duration timeout;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    /** Opens {@code container} (created when missing) with tempauth (auth v1) credentials. */
    public static SwiftStore tempauth(URI authUrl, String user, String key, String container) {
        return new SwiftStore(newHttpClient(), new TempAuth(authUrl, user, key, Duration.ofSeconds(30)), container,
                SwiftLimits.defaults(), SwiftRetryPolicy.defaults(), DEFAULT_TIMEOUT);
    }

    /** Opens {@code container} (created when missing) with Keystone v3 password credentials scoped to a project. */
    public static SwiftStore keystone(URI authUrl, String user, String password, String project, String domain,
            String region, String container) {
        SwiftAuth auth = new KeystoneV3Auth(authUrl, user, password, project, domain, region, Duration.ofSeconds(30));
        return new SwiftStore(newHttpClient(), auth, container, SwiftLimits.defaults(), SwiftRetryPolicy.defaults(),
                DEFAULT_TIMEOUT);
    }

    SwiftStore(HttpClient http, SwiftAuth auth, String container, SwiftLimits limits, SwiftRetryPolicy retry,
            Duration timeout) {
        if (!CONTAINER.matcher(container).matches()) {
            throw new IllegalArgumentException("unusable swift container name: '" + container + "'");
        }
        this.swift = new SwiftConnection(http, auth, retry);
        this.container = container;
        this.segments = container + "_segments";
        this.limits = limits;
        this.timeout = timeout;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        ensureContainer(this.container);
        ensureContainer(this.segments);
    }

    /** HTTP/1.1 only: Swift speaks nothing else, and the JDK would otherwise try an h2c upgrade on every request. */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return head(container, key).map(headers -> info(key, headers));
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return get(key, offset, length, false);
    }

    private InputStream get(String key, long offset, long length, boolean askedAgain) {
        if (offset < 0 || length == 0) {
            // Nothing to fetch, but the key must exist and the range must lie within it.
            ObjectInfo info = stat(key).orElseThrow(() -> new ObjectNotFoundException(key));
            if (offset < 0 || offset > info.size()) {
                throw new RangeNotSatisfiableException(key, offset, length, info.size());
            }
            return InputStream.nullInputStream();
        }
        long last;
        try {
            last = length < 0 ? -1 : Math.addExact(offset, length) - 1;
        } catch (ArithmeticException e) {
            last = Long.MAX_VALUE; // beyond any object: Swift clamps, and the check below refuses it
        }
        String range = offset == 0 && length < 0 ? null : "bytes=" + offset + "-" + (last < 0 ? "" : last);
        HttpResponse<InputStream> response = swift.send("GET " + key, s -> {
            HttpRequest.Builder request = request(s, objectPath(container, key)).GET();
            if (range != null) {
                request.header("Range", range);
            }
            return request.build();
        });
        int status = response.statusCode();
        if (status == 404) {
            SwiftConnection.discard(response);
            if (askedAgain || stat(key).isEmpty()) { // asks again: see NOT_FOUND_ATTEMPTS
                throw new ObjectNotFoundException(key);
            }
            return get(key, offset, length, true);
        }
        if (status == 416) {
            SwiftConnection.discard(response);
            long size = stat(key).orElseThrow(() -> new ObjectNotFoundException(key)).size();
            if (offset == size && length < 0) {
                return InputStream.nullInputStream(); // Swift refuses "bytes=N-" at the end; the contract allows it
            }
            throw new RangeNotSatisfiableException(key, offset, length, size);
        }
        if (status != 200 && status != 206) {
            throw failure("GET " + key, response);
        }
        long bodyLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        long size = status == 206 ? totalFromContentRange(response.headers()) : bodyLength;
        if (length >= 0 && (offset > size || length > size - offset)) {
            SwiftConnection.discard(response); // Swift clamps a range that runs past the end; the contract refuses it
            throw new RangeNotSatisfiableException(key, offset, length, size);
        }
        InputStream body = response.body();
        if (status == 200 && offset > 0) {
            body = skipped(body, offset, key);
            bodyLength -= offset;
        }
        return new ExactLengthInputStream(body, bodyLength, key);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        long wanted = (long) limit + 1; // one more than asked tells whether another page follows
        List<ObjectInfo> found = new ArrayList<>();
        String marker = startAfter == null || startAfter.isEmpty() ? null : startAfter;
        while (found.size() < wanted) {
            int ask = (int) Math.min(limits.listingLimit(), wanted - found.size());
            StringBuilder query = new StringBuilder("?format=json&limit=").append(ask);
            if (prefix != null && !prefix.isEmpty()) {
                query.append("&prefix=").append(encode(prefix));
            }
            if (marker != null) {
                query.append("&marker=").append(encode(marker));
            }
            String path = "/" + container + query;
            HttpResponse<InputStream> response = swift.send("list " + container,
                    s -> request(s, path).header("Accept", "application/json").GET().build());
            if (response.statusCode() == 204) {
                SwiftConnection.discard(response);
                break;
            }
            if (response.statusCode() != 200) {
                throw failure("list " + container + " under '" + prefix + "'", response);
            }
            JsonNode entries = parse(SwiftConnection.text(response), "listing of " + container);
            for (JsonNode entry : entries) {
                found.add(listed(entry));
            }
            if (entries.size() < ask) {
                break;
            }
            marker = found.getLast().key();
        }
        if (found.size() <= limit) {
            return new ListPage(found, null);
        }
        List<ObjectInfo> page = found.subList(0, limit);
        return new ListPage(page, page.getLast().key());
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return put(key, data, -1, condition);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        return locked(List.of(key), () -> {
            checkIfMatch(key, condition);
            return putStream(key, data, length, condition);
        });
    }

    @Override
    public ObjectInfo put(String key, byte[] data, PutCondition condition) {
        return locked(List.of(key), () -> {
            checkIfMatch(key, condition);
            return putBytes(key, data, condition);
        });
    }

    @Override
    public boolean delete(String key) {
        return locked(List.of(key), () -> {
            Optional<HttpHeaders> headers = head(container, key);
            if (headers.isEmpty()) {
                return false;
            }
            return isManifest(headers.get()) ? deleteManifest(key) : deletePlain(container, key);
        });
    }

    /**
     * Copies the object server-side (for a manifest, the manifest only, so its segments move with it), checks that
     * the copy has the source's size, content hash and CRC32C, and then deletes the source (for a manifest, the
     * manifest alone). Swift has no rename, so a reader may briefly see both keys.
     */
    @Override
    public ObjectInfo move(String from, String to) {
        if (from.equals(to)) {
            return stat(from).orElseThrow(() -> new ObjectNotFoundException(from));
        }
        return locked(List.of(from, to), () -> {
            HttpHeaders source = head(container, from).orElseThrow(() -> new ObjectNotFoundException(from));
            ObjectInfo before = info(from, source);
            boolean manifest = isManifest(source);
            copy(from, manifest, container, to, new SwiftContentType(newVersion(), before.crc32c()));
            HttpHeaders target = head(container, to)
                    .orElseThrow(() -> new StorageException("move of " + from + ": " + to + " vanished after the copy"));
            ObjectInfo after = info(to, target);
            if (after.size() != before.size() || !java.util.Objects.equals(after.crc32c(), before.crc32c())
                    || !contentHash(target).equals(contentHash(source))) {
                deletePlain(container, to); // a manifest copy shares the source's segments: never delete those
                log.error("move of {} to {}: the copy is {} bytes, hash {}, crc32c {} where the source has {}, {}, {}",
                        from, to, after.size(), contentHash(target), after.crc32c(), before.size(),
                        contentHash(source), before.crc32c());
                throw new StorageException("move of " + from + " to " + to + " produced a different object");
            }
            deletePlain(container, from);
            return after;
        });
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        List<Source> parts = new ArrayList<>();
        Long crc = 0L;
        long total = 0;
        for (String key : sources) {
            HttpHeaders headers = head(container, key).orElseThrow(() -> new ObjectNotFoundException(key));
            Source part = new Source(key, info(key, headers), isManifest(headers), contentHash(headers));
            Long partCrc = Crc32cs.parse(part.info().crc32c());
            crc = crc == null || partCrc == null ? null : Crc32cs.combine(crc, partCrc, part.info().size());
            total += part.info().size();
            if (part.info().size() > 0) {
                parts.add(part);
            }
        }
        String crcHex = crc == null ? null : Crc32cs.hex(crc);
        if (parts.isEmpty()) {
            return put(target, new byte[0], PutCondition.always());
        }
        long expectedSize = total;
        return locked(List.of(target), () -> {
            SwiftContentType type = new SwiftContentType(newVersion(), crcHex);
            if (parts.size() == 1 && parts.getFirst().info().size() <= limits.maxObjectBytes()) {
                // One non-empty source: a plain server-side copy of its content, no manifest needed.
                Source only = parts.getFirst();
                copy(only.key(), false, container, target, type);
                return checkedResult("concatenation into", target, expectedSize, crcHex);
            }
            writeLargeObject(parts, target, type);
            return checkedResult("concatenation into", target, expectedSize, crcHex);
        });
    }

    @Override
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String toString() {
        return "swift(" + container + ")";
    }

    /** The connection, for tests of token renewal. */
    SwiftConnection connection() {
        return swift;
    }

    /** The container holding the segments of large objects. */
    String segmentsContainer() {
        return segments;
    }

    // ---- puts -----------------------------------------------------------------------------------------------------

    private ObjectInfo putStream(String key, InputStream data, long length, PutCondition condition) {
        long max = limits.maxObjectBytes();
        StreamSlices slices = new StreamSlices(data);
        if (length > max) {
            return putLarge(key, slices, length, condition, null);
        }
        // A body of unknown length streams to the key as one that fits would, but stops where one object must
        // end: only a body that reaches that point pays for being longer (see putLarge).
        InputStream body = length < 0 ? slices.next(max) : data;
        String version = newVersion();
        Streamed stored = streamObject("put " + key, container, key, body, length,
                new SwiftContentType(version, null), condition, key);
        if (length < 0 && stored.size() == max && hasMore(key, slices, () -> deletePlain(container, key))) {
            return putLarge(key, slices, -1, condition, stored);
        }
        String crc = Crc32cs.hex(stored.crc32c());
        postMetadata(key, new SwiftContentType(version, crc));
        return new ObjectInfo(key, stored.size(), version, lastModified(stored.headers()), crc);
    }

    /** What one streamed PUT stored: its length, MD5 (equal to Swift's ETag), CRC32C and the answer's headers. */
    private record Streamed(long size, String md5, long crc32c, HttpHeaders headers) {}

    /**
     * Streams {@code data} into one object, with a Content-Length when {@code length} is known and chunked when it
     * is -1, computing the MD5 and CRC32C on the way. When another number of bytes than declared went out, or
     * Swift's ETag is not the MD5, the object is deleted and the put fails. {@code key} names the caller's key in
     * a refused condition.
     */
    private Streamed streamObject(String what, String inContainer, String object, InputStream data, long length,
            SwiftContentType type, PutCondition condition, String key) {
        HashingInputStream hashing = new HashingInputStream(data);
        if (length == 0) {
            try {
                if (hashing.read() >= 0) {
                    throw new StorageException(what + ": the stream yields more than the declared 0 bytes");
                }
            } catch (IOException e) {
                throw new StorageException(what + ": reading the data failed: " + e, e);
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = swift.send(what, s -> {
                HttpRequest.Builder request = request(s, objectPath(inContainer, object))
                        .header("Content-Type", type.header())
                        .expectContinue(true)
                        .PUT(body(hashing, length));
                if (condition instanceof PutCondition.IfAbsent) {
                    request.header("If-None-Match", "*");
                }
                return request.build();
            }, () -> !hashing.touched() || length == 0);
        } catch (StorageException e) {
            if (hashing.failure() != null) {
                // The caller's stream failed, not Swift: keep that failure first in the chain.
                throw new StorageException(what + ": reading the data failed: " + hashing.failure(),
                        hashing.failure());
            }
            throw e;
        }
        int status = response.statusCode();
        if (status == 412) {
            SwiftConnection.discard(response);
            throw new PreconditionFailedException(key, condition);
        }
        if (status != 201) {
            throw failure(what, response);
        }
        SwiftConnection.discard(response);
        String md5 = hashing.md5Hex();
        String stored = unquote(response.headers().firstValue("Etag").orElse(""));
        if (length >= 0 && hashing.count() != length) {
            deletePlain(inContainer, object);
            throw new StorageException(what + ": " + hashing.count() + " bytes arrived where " + length
                    + " were declared; nothing was stored");
        }
        if (!stored.equalsIgnoreCase(md5)) {
            deletePlain(inContainer, object);
            log.error("{}: swift stored MD5 {} but {} was sent; the object was deleted", what, stored, md5);
            throw new StorageException(what + ": swift stored MD5 " + stored + " but the data sent has MD5 "
                    + md5 + "; the object was deleted");
        }
        return new Streamed(hashing.count(), md5, Crc32cs.parse(hashing.crc32cHex()), response.headers());
    }

    /** Whether the caller's stream has more bytes; when reading it fails, runs {@code undo} and fails the put. */
    private static boolean hasMore(String key, StreamSlices slices, Runnable undo) {
        try {
            return slices.hasMore();
        } catch (IOException e) {
            try {
                undo.run();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new StorageException("put " + key + ": reading the data failed: " + e, e);
        }
    }

    private ObjectInfo putBytes(String key, byte[] data, PutCondition condition) {
        String version = newVersion();
        String md5 = md5(data);
        CRC32C checksum = new CRC32C();
        checksum.update(data);
        String crc = Crc32cs.hex(checksum.getValue());
        HttpResponse<InputStream> response = swift.send("PUT " + key, s -> {
            HttpRequest.Builder request = request(s, objectPath(container, key))
                    .header("Content-Type", new SwiftContentType(version, crc).header())
                    .header(CRC_HEADER, crc)
                    .header("ETag", md5) // Swift compares it with what arrived and refuses a mismatch with 422
                    .PUT(BodyPublishers.ofByteArray(data));
            if (condition instanceof PutCondition.IfAbsent) {
                request.header("If-None-Match", "*");
            }
            return request.build();
        });
        int status = response.statusCode();
        if (status == 412) {
            SwiftConnection.discard(response);
            throw new PreconditionFailedException(key, condition);
        }
        if (status == 422) {
            SwiftConnection.discard(response);
            log.error("put {}: swift refused the body because its MD5 is not {}", key, md5);
            throw new StorageException("put " + key + ": the data reached swift damaged (MD5 mismatch); nothing stored");
        }
        if (status != 201) {
            throw failure("PUT " + key, response);
        }
        SwiftConnection.discard(response);
        String stored = unquote(response.headers().firstValue("Etag").orElse(""));
        if (!stored.equalsIgnoreCase(md5)) {
            deletePlain(container, key);
            throw new StorageException("put " + key + ": swift stored MD5 " + stored + " but " + md5 + " was sent");
        }
        return new ObjectInfo(key, data.length, version, lastModified(response.headers()), crc);
    }

    private static BodyPublisher body(HashingInputStream data, long length) {
        if (length == 0) {
            return BodyPublishers.noBody();
        }
        BodyPublisher stream = BodyPublishers.ofInputStream(() -> data);
        // With a known length the client sends Content-Length and fails when the stream yields another count.
        return length > 0 ? BodyPublishers.fromPublisher(stream, length) : stream;
    }

    /**
     * Stores the CRC32C, known only once the body was sent, in a metadata POST. A POST replaces all user metadata
     * and the content type, so both are sent whole; it changes neither the content nor Swift's timestamp.
     */
    private void postMetadata(String key, SwiftContentType type) {
        HttpResponse<InputStream> response = swift.send("POST " + key, s -> request(s, objectPath(container, key))
                .header("Content-Type", type.header())
                .header(CRC_HEADER, type.crc32c())
                .POST(BodyPublishers.noBody())
                .build());
        SwiftConnection.discard(response);
        int status = response.statusCode();
        if (status == 404) {
            log.warn("put {}: the object was deleted before its checksum could be stored", key);
            return;
        }
        if (status / 100 != 2) {
            // Never report a put whose metadata is incomplete: remove it so the caller can write it again.
            deletePlain(container, key);
            throw new StorageException("put " + key + ": storing the checksum answered " + status
                    + "; the object was deleted");
        }
    }

    /** The best-effort {@code ifMatch}: the current version must be the expected one (see the class comment). */
    private void checkIfMatch(String key, PutCondition condition) {
        if (condition instanceof PutCondition.IfMatch(String etag)) {
            Optional<ObjectInfo> current = stat(key);
            if (current.isEmpty() || !current.get().etag().equals(etag)) {
                throw new PreconditionFailedException(key, condition);
            }
        }
    }

    // ---- large objects --------------------------------------------------------------------------------------------

    /**
     * Writes a body longer than one object may be as segments of at most {@link SwiftLimits#maxObjectBytes()} in
     * a group of its own, then a Static Large Object manifest at {@code key} that owns them, as a concatenation
     * does. Each segment's MD5 is checked against Swift's ETag as it is stored, and the manifest lists every
     * segment's etag and size, so Swift checks them again; the CRC32C is combined from the segments'. On failure,
     * whatever was written is removed again.
     *
     * @param length the declared length, or -1 when it is unknown
     * @param atKey the first segment's bytes when they already went to {@code key} (a body of unknown length that
     *     turned out longer than one object): they are copied to the first segment server-side, and the manifest
     *     then replaces them. Until it does, the key holds those bytes as a plain object.
     */
    private ObjectInfo putLarge(String key, StreamSlices body, long length, PutCondition condition, Streamed atKey) {
        boolean ifAbsent = condition instanceof PutCondition.IfAbsent;
        if (atKey == null && ifAbsent && head(container, key).isPresent()) {
            throw new PreconditionFailedException(key, condition); // refused before gigabytes are sent for nothing
        }
        long max = limits.maxObjectBytes();
        String group = UUID.randomUUID().toString();
        List<String> written = new ArrayList<>();
        List<SloSegment> leaves = new ArrayList<>();
        long total = 0;
        long crc = 0;
        boolean published = false;
        try {
            if (atKey != null) {
                String object = segmentName(group, 0);
                written.add(object);
                copy(key, false, segments, object, new SwiftContentType(null, null));
                leaves.add(checkedFirstSegment(key, atKey, object));
                total = atKey.size();
                crc = atKey.crc32c();
            }
            while (length >= 0 ? total < length : hasMore(key, body, () -> {})) {
                long size = length >= 0 ? Math.min(max, length - total) : max;
                String object = segmentName(group, leaves.size());
                written.add(object); // before the PUT: a failed one may still have stored something
                Streamed segment = streamObject("put " + key + ": segment " + leaves.size(), segments, object,
                        body.next(size), length >= 0 ? size : -1, new SwiftContentType(null, null),
                        PutCondition.always(), key);
                leaves.add(new SloSegment("/" + segments + "/" + object, segment.md5(), segment.size()));
                crc = Crc32cs.combine(crc, segment.crc32c(), segment.size());
                total += segment.size();
            }
            if (length >= 0 && hasMore(key, body, () -> {})) {
                throw new StorageException("put " + key + ": the stream yields more than the declared " + length
                        + " bytes; nothing was stored");
            }
            SegmentPlan plan = SegmentPlan.of(leaves, limits.maxManifestSegments(), segments,
                    (level, index) -> group + "/manifest-" + level + "-" + String.format(Locale.ROOT, "%06d", index));
            for (SegmentPlan.Nested nested : plan.nested()) {
                written.add(nested.object());
                putManifest(segments, nested.object(), nested.entries(), null, false);
            }
            String crcHex = Crc32cs.hex(crc);
            // After a first segment at the key, the manifest replaces this put's own object: no condition then.
            putManifest(container, key, plan.top(), new SwiftContentType(newVersion(), crcHex),
                    ifAbsent && atKey == null);
            published = true;
            ObjectInfo result = checkedResult("large put of", key, total, crcHex);
            log.debug("put {}: {} bytes as a large object of {} segments", key, total, leaves.size());
            return result;
        } catch (RuntimeException e) {
            try {
                if (published) {
                    deleteManifest(key); // its segments with it
                } else {
                    for (String object : written.reversed()) {
                        deletePlain(segments, object);
                    }
                    if (atKey != null) {
                        deletePlain(container, key); // the first segment's bytes, never a whole object
                    }
                }
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static String segmentName(String group, int index) {
        return group + "/" + String.format(Locale.ROOT, "%08d", index);
    }

    /** HEADs the first segment, copied from the key, and compares it with what was streamed there. */
    private SloSegment checkedFirstSegment(String key, Streamed atKey, String object) {
        HttpHeaders headers = head(segments, object).orElseThrow(
                () -> new StorageException("put " + key + ": the first segment vanished after its copy"));
        long size = headers.firstValueAsLong("Content-Length").orElse(-1);
        String md5 = unquote(headers.firstValue("Etag").orElse(""));
        if (size != atKey.size() || !md5.equalsIgnoreCase(atKey.md5())) {
            log.error("put {}: the first segment copied from the key is {} bytes with MD5 {} where {} bytes with MD5 {}"
                    + " were sent", key, size, md5, atKey.size(), atKey.md5());
            throw new StorageException("put " + key + ": the first segment differs from the bytes sent");
        }
        return new SloSegment("/" + segments + "/" + object, atKey.md5(), size);
    }

    /** A source of a concatenation with what Swift said about it. */
    private record Source(String key, ObjectInfo info, boolean manifest, String contentHash) {}

    private void writeLargeObject(List<Source> parts, String target, SwiftContentType type) {
        String group = UUID.randomUUID().toString();
        List<String> written = new ArrayList<>();
        try {
            List<SloSegment> leaves = new ArrayList<>();
            for (Source part : parts) {
                if (part.manifest() && part.info().size() > limits.maxObjectBytes()) {
                    // Too large for one segment (a large put's object): its own segments are copied one by one.
                    for (SloSegment leaf : leafSegments(container, part.key())) {
                        String object = segmentName(group, leaves.size());
                        written.add(object);
                        leaves.add(copiedLeaf(part.key(), leaf, object));
                    }
                    continue;
                }
                String object = segmentName(group, leaves.size());
                // A manifest source is copied as its content: sharing its segments would break on either delete.
                copy(container, part.key(), false, segments, object,
                        new SwiftContentType(null, part.info().crc32c()));
                written.add(object);
                leaves.add(checkedSegment(part, object));
            }
            SegmentPlan plan = SegmentPlan.of(leaves, limits.maxManifestSegments(), segments,
                    (level, index) -> group + "/manifest-" + level + "-" + String.format(Locale.ROOT, "%06d", index));
            for (SegmentPlan.Nested nested : plan.nested()) {
                putManifest(segments, nested.object(), nested.entries(), null, false);
                written.add(nested.object());
            }
            putManifest(container, target, plan.top(), type, false);
        } catch (RuntimeException e) {
            for (String object : written.reversed()) {
                try {
                    deletePlain(segments, object);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /**
     * The plain segments a manifest's content consists of, in order, nested manifests followed; each with the
     * path, MD5 and size its manifest lists. Berth's manifests name whole segments, never ranges of them.
     */
    private List<SloSegment> leafSegments(String inContainer, String object) {
        HttpResponse<InputStream> response = swift.send("GET manifest " + inContainer + "/" + object,
                s -> request(s, objectPath(inContainer, object) + "?multipart-manifest=get")
                        .header("Accept", "application/json").GET().build());
        if (response.statusCode() == 404) {
            SwiftConnection.discard(response);
            throw new ObjectNotFoundException(object);
        }
        if (response.statusCode() != 200) {
            throw failure("GET manifest " + inContainer + "/" + object, response);
        }
        List<SloSegment> leaves = new ArrayList<>();
        for (JsonNode entry : parse(SwiftConnection.text(response), "manifest of " + object)) {
            String name = entry.path("name").asText("");
            int slash = name.indexOf('/', 1);
            if (!name.startsWith("/") || slash < 0 || entry.has("range")) {
                throw new StorageException("manifest " + inContainer + "/" + object + " has an entry Berth did not"
                        + " write: " + entry);
            }
            if (entry.path("sub_slo").asBoolean(false)) {
                leaves.addAll(leafSegments(name.substring(1, slash), name.substring(slash + 1)));
            } else {
                leaves.add(new SloSegment(name, entry.path("hash").asText(""), entry.path("bytes").asLong(-1)));
            }
        }
        return leaves;
    }

    /** Copies one segment of a source's manifest into {@code object} and checks its size and MD5. */
    private SloSegment copiedLeaf(String source, SloSegment leaf, String object) {
        int slash = leaf.path().indexOf('/', 1);
        copy(leaf.path().substring(1, slash), leaf.path().substring(slash + 1), false, segments, object,
                new SwiftContentType(null, null));
        HttpHeaders headers = head(segments, object).orElseThrow(() -> new StorageException(
                "segment " + object + " copied from " + leaf.path() + " of " + source + " vanished"));
        long size = headers.firstValueAsLong("Content-Length").orElse(-1);
        String md5 = unquote(headers.firstValue("Etag").orElse(""));
        if (size != leaf.size() || !md5.equalsIgnoreCase(leaf.etag())) {
            log.error("segment {} copied from {} of {} is {} bytes with MD5 {} where the manifest lists {} and {}",
                    object, leaf.path(), source, size, md5, leaf.size(), leaf.etag());
            throw new StorageException("the segment copied from " + leaf.path() + " of " + source
                    + " differs from what its manifest lists");
        }
        return new SloSegment("/" + segments + "/" + object, md5.toLowerCase(Locale.ROOT), size);
    }

    /** HEADs a freshly copied segment and compares it with its source: size, CRC32C and, for plain sources, MD5. */
    private SloSegment checkedSegment(Source part, String object) {
        HttpHeaders headers = head(segments, object).orElseThrow(
                () -> new StorageException("segment " + object + " of " + part.key() + " vanished after its copy"));
        ObjectInfo copied = info(object, headers);
        String md5 = unquote(headers.firstValue("Etag").orElse(""));
        boolean sameHash = part.manifest() || md5.equalsIgnoreCase(part.contentHash());
        if (copied.size() != part.info().size() || !java.util.Objects.equals(copied.crc32c(), part.info().crc32c())
                || !sameHash) {
            log.error("segment {} copied from {} is {} bytes, MD5 {}, crc32c {} where the source has {}, {}, {}",
                    object, part.key(), copied.size(), md5, copied.crc32c(), part.info().size(), part.contentHash(),
                    part.info().crc32c());
            throw new StorageException("the segment copied from " + part.key() + " differs from its source");
        }
        return new SloSegment("/" + segments + "/" + object, md5.toLowerCase(Locale.ROOT), copied.size());
    }

    /** Writes a Static Large Object manifest and checks that Swift computed the expected SLO etag. */
    private void putManifest(String inContainer, String object, List<SloSegment> entries, SwiftContentType type,
            boolean ifAbsent) {
        ArrayNode manifest = JSON.createArrayNode();
        for (SloSegment entry : entries) {
            manifest.addObject().put("path", entry.path()).put("etag", entry.etag()).put("size_bytes", entry.size());
        }
        byte[] body = manifest.toString().getBytes(StandardCharsets.UTF_8);
        String path = objectPath(inContainer, object) + "?multipart-manifest=put";
        HttpResponse<InputStream> response = swift.send("PUT manifest " + object, s -> {
            HttpRequest.Builder request = request(s, path).PUT(BodyPublishers.ofByteArray(body));
            if (ifAbsent) {
                request.header("If-None-Match", "*");
            }
            if (type != null) {
                request.header("Content-Type", type.header());
                if (type.crc32c() != null) {
                    request.header(CRC_HEADER, type.crc32c());
                }
            }
            return request.build();
        });
        if (response.statusCode() == 412 && ifAbsent) {
            SwiftConnection.discard(response);
            throw new PreconditionFailedException(object, PutCondition.ifAbsent());
        }
        if (response.statusCode() != 201) {
            throw failure("PUT manifest " + inContainer + "/" + object, response);
        }
        SwiftConnection.discard(response);
        String etag = unquote(response.headers().firstValue("Etag").orElse(""));
        String expected = SloSegment.sloEtag(entries);
        if (!etag.equalsIgnoreCase(expected)) {
            throw new StorageException("manifest " + object + ": swift computed etag " + etag + " where the segments'"
                    + " etags give " + expected);
        }
    }

    private ObjectInfo checkedResult(String what, String target, long size, String crc) {
        ObjectInfo result = stat(target).orElseThrow(() -> new StorageException(what + " " + target + " vanished"));
        if (result.size() != size || !java.util.Objects.equals(result.crc32c(), crc)) {
            throw new StorageException(what + " " + target + " is " + result.size() + " bytes with crc32c "
                    + result.crc32c() + " where " + size + " bytes with " + crc + " were expected");
        }
        return result;
    }

    // ---- requests -------------------------------------------------------------------------------------------------

    private HttpRequest.Builder request(SwiftSession session, String path) {
        return HttpRequest.newBuilder(swift.url(session, path))
                .timeout(timeout)
                .header("X-Auth-Token", session.token());
    }

    private Optional<HttpHeaders> head(String inContainer, String object) {
        HttpResponse<InputStream> response = null;
        for (int attempt = 1; attempt <= NOT_FOUND_ATTEMPTS; attempt++) {
            response = swift.send("HEAD " + inContainer + "/" + object,
                    s -> request(s, objectPath(inContainer, object)).method("HEAD", BodyPublishers.noBody()).build());
            SwiftConnection.discard(response);
            if (response.statusCode() != 404) {
                break;
            }
            pauseBeforeAskingAgain(attempt);
        }
        return switch (response.statusCode()) {
            case 200, 204 -> Optional.of(response.headers());
            case 404 -> Optional.empty();
            default -> throw new StorageException("HEAD " + inContainer + "/" + object + " answered "
                    + response.statusCode());
        };
    }

    private static void pauseBeforeAskingAgain(int attempt) {
        if (attempt < NOT_FOUND_ATTEMPTS) {
            try {
                Thread.sleep(20L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted", e);
            }
        }
    }

    /** A server-side copy; {@code manifestOnly} copies a manifest itself instead of its content. */
    private void copy(String from, boolean manifestOnly, String toContainer, String to, SwiftContentType type) {
        copy(container, from, manifestOnly, toContainer, to, type);
    }

    private void copy(String fromContainer, String from, boolean manifestOnly, String toContainer, String to,
            SwiftContentType type) {
        String path = objectPath(fromContainer, from) + (manifestOnly ? "?multipart-manifest=get" : "");
        HttpResponse<InputStream> response = swift.send("COPY " + from + " to " + toContainer + "/" + to, s -> {
            HttpRequest.Builder request = request(s, path)
                    .header("Destination", toContainer + "/" + to)
                    .header("Content-Type", type.header())
                    .method("COPY", BodyPublishers.noBody());
            if (type.crc32c() != null) {
                request.header(CRC_HEADER, type.crc32c());
            }
            return request.build();
        });
        if (response.statusCode() == 404) {
            SwiftConnection.discard(response);
            throw new ObjectNotFoundException(from);
        }
        if (response.statusCode() != 201) {
            throw failure("COPY " + from + " to " + toContainer + "/" + to, response);
        }
        SwiftConnection.discard(response);
    }

    private boolean deletePlain(String inContainer, String object) {
        HttpResponse<InputStream> response = swift.send("DELETE " + inContainer + "/" + object,
                s -> request(s, objectPath(inContainer, object)).DELETE().build());
        SwiftConnection.discard(response);
        return switch (response.statusCode()) {
            case 204, 200 -> true;
            case 404 -> false;
            default -> throw new StorageException("DELETE " + inContainer + "/" + object + " answered "
                    + response.statusCode());
        };
    }

    /** Deletes a manifest with all its segments and nested manifests, through Swift's bulk delete of an SLO. */
    private boolean deleteManifest(String key) {
        HttpResponse<InputStream> response = swift.send("DELETE manifest " + key,
                s -> request(s, objectPath(container, key) + "?multipart-manifest=delete")
                        .header("Accept", "application/json").DELETE().build());
        if (response.statusCode() != 200) {
            throw failure("DELETE manifest " + key, response);
        }
        JsonNode result = parse(SwiftConnection.text(response), "deletion of " + key);
        String status = result.path("Response Status").asText("");
        if (!result.path("Errors").isEmpty() || !(status.startsWith("2") || status.startsWith("404"))) {
            throw new StorageException("deleting the large object " + key + " failed: " + result);
        }
        return result.path("Number Deleted").asLong() > 0;
    }

    private void ensureContainer(String name) {
        HttpResponse<InputStream> head = swift.send("HEAD container " + name,
                s -> request(s, "/" + name).method("HEAD", BodyPublishers.noBody()).build());
        SwiftConnection.discard(head);
        if (head.statusCode() / 100 == 2) {
            return;
        }
        if (head.statusCode() != 404) {
            throw new StorageException("HEAD container " + name + " answered " + head.statusCode());
        }
        HttpResponse<InputStream> put = swift.send("PUT container " + name,
                s -> request(s, "/" + name).PUT(BodyPublishers.noBody()).build());
        SwiftConnection.discard(put);
        if (put.statusCode() != 201 && put.statusCode() != 202) {
            throw new StorageException("creating container " + name + " answered " + put.statusCode());
        }
        log.debug("created swift container {}", name);
    }

    private <T> T locked(List<String> keys, Supplier<T> action) {
        List<ReentrantLock> held = keys.stream()
                .map(key -> Math.floorMod(key.hashCode(), LOCK_STRIPES))
                .distinct()
                .sorted() // one global order, so two moves in opposite directions cannot deadlock
                .map(i -> locks[i])
                .toList();
        held.forEach(ReentrantLock::lock);
        try {
            return action.get();
        } finally {
            held.reversed().forEach(ReentrantLock::unlock);
        }
    }

    // ---- metadata -------------------------------------------------------------------------------------------------

    private static ObjectInfo info(String key, HttpHeaders headers) {
        long size = headers.firstValueAsLong("Content-Length").orElse(0);
        SwiftContentType type = SwiftContentType.parse(headers.firstValue("Content-Type").orElse(null));
        String crc = headers.firstValue(CRC_HEADER).map(v -> v.toLowerCase(Locale.ROOT))
                .filter(v -> Crc32cs.parse(v) != null).orElse(type.crc32c());
        Instant modified = headers.firstValue("X-Timestamp").map(SwiftStore::fromTimestamp)
                .orElseGet(() -> lastModified(headers));
        return new ObjectInfo(key, size, etag(type, contentHash(headers), modified), modified, crc);
    }

    private static ObjectInfo listed(JsonNode entry) {
        SwiftContentType type = SwiftContentType.parse(entry.path("content_type").asText(null));
        Instant modified = LocalDateTime.parse(entry.path("last_modified").asText(), LISTING_TIME)
                .toInstant(ZoneOffset.UTC);
        String hash = entry.path("hash").asText(""); // for a manifest, the MD5 of the manifest, as X-Manifest-Etag
        return new ObjectInfo(entry.path("name").asText(), entry.path("bytes").asLong(), etag(type, hash, modified),
                modified, type.crc32c());
    }

    /** Berth's version, or for objects written by others Swift's content hash with the write's timestamp. */
    private static String etag(SwiftContentType type, String hash, Instant modified) {
        if (type.version() != null) {
            return type.version();
        }
        long micros = modified.getEpochSecond() * 1_000_000 + modified.getNano() / 1_000;
        return hash + "-" + micros;
    }

    /** The MD5 of a plain object, or of a manifest's own body: the hash that a copy must keep. */
    private static String contentHash(HttpHeaders headers) {
        return unquote(headers.firstValue("X-Manifest-Etag").or(() -> headers.firstValue("Etag")).orElse(""))
                .toLowerCase(Locale.ROOT);
    }

    private static boolean isManifest(HttpHeaders headers) {
        return headers.firstValue("X-Static-Large-Object").map("true"::equalsIgnoreCase).orElse(false);
    }

    private static Instant fromTimestamp(String timestamp) {
        try {
            BigDecimal seconds = new BigDecimal(timestamp.split("_")[0]);
            long whole = seconds.longValue();
            int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }

    private static Instant lastModified(HttpHeaders headers) {
        return headers.firstValue("Last-Modified").map(value -> {
            try {
                return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return Instant.now();
            }
        }).orElseGet(Instant::now);
    }

    private static long totalFromContentRange(HttpHeaders headers) {
        String range = headers.firstValue("Content-Range").orElse("");
        int slash = range.lastIndexOf('/');
        try {
            return Long.parseLong(range.substring(slash + 1).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new StorageException("swift answered a range with an unreadable Content-Range: '" + range + "'");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static String objectPath(String inContainer, String object) {
        return "/" + inContainer + "/" + object; // keys are [A-Za-z0-9._-/] only: nothing to encode
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String newVersion() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    private static JsonNode parse(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new StorageException("swift returned an unreadable " + what + ": " + e.getMessage(), e);
        }
    }

    private static StorageException failure(String what, HttpResponse<InputStream> response) {
        String body = SwiftConnection.text(response);
        return new StorageException(what + " answered " + response.statusCode()
                + (body.isBlank() ? "" : ": " + body.strip()));
    }

    private static InputStream skipped(InputStream body, long offset, String key) {
        try {
            body.skipNBytes(offset);
            return body;
        } catch (IOException e) {
            throw new StorageException("GET " + key + ": skipping to " + offset + " failed: " + e, e);
        }
    }

    /** Fails a read that ends before the announced length, so a cut-off body is never taken for a whole one. */
    private static final class ExactLengthInputStream extends FilterInputStream {
        private final String key;
        private long remaining;

        ExactLengthInputStream(InputStream in, long length, String key) {
            super(in);
            this.remaining = length;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            account(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int n = super.read(buffer, offset, length);
            account(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            remaining -= skipped;
            return skipped;
        }

        private void account(int n) throws IOException {
            if (n < 0) {
                if (remaining > 0) {
                    throw new IOException("swift object " + key + " ended " + remaining + " bytes early");
                }
            } else {
                remaining -= n;
            }
        }
    }
}
