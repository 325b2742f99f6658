package dev.berth.storage;

import dev.berth.config.LoggedUrls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 backend (AWS, MinIO, Ceph, s3proxy, Swift's s3api): each key is an object under the configured prefix.
 *
 * <p>On opening, the bucket is created when missing and {@link S3FeatureProbe} finds out which checksums and
 * conditional writes the server enforces; the result is logged and decides how each call below works.
 *
 * <ul>
 *   <li><b>Checksums.</b> Every body's CRC32C (and MD5) is computed as it streams. A body that fits in
 *       {@link S3Limits#bufferSize()} (records, manifests, tags, small chunks) is sent in one PutObject with its
 *       {@code Content-MD5}, its {@code x-amz-checksum-crc32c} where the server verifies that header, and its CRC32C
 *       as metadata {@code x-amz-meta-crc32c}, so {@link #stat} reports it without reading the data. A longer
 *       body cannot carry its checksum in headers sent before it: where the server keeps a CRC32C trailer it is
 *       streamed with one straight to its key; elsewhere it is streamed to a staging object (in one PutObject when
 *       its length is known, checked afterwards by comparing the ETag with its MD5; otherwise as multipart parts of
 *       {@code bufferSize}, each with its {@code Content-MD5}) and then published by a server-side copy that sets the
 *       CRC32C metadata. That copy is the price of a verifiable checksum on servers without trailers.</li>
 *   <li><b>Conditional puts.</b> {@code ifAbsent} sends {@code If-None-Match: *} and {@code ifMatch} sends
 *       {@code If-Match} where the server honours them; then they are atomic across processes. Where it does not
 *       (Swift's s3api answers 501), the store checks with HeadObject and then writes, holding a lock for the key
 *       in this process: atomic among the callers of this instance, but only best effort against other processes,
 *       which can both pass the check in the window between HeadObject and the write. {@link #capabilities()} then
 *       reports {@code atomicConditionalPut=false}.</li>
 *   <li><b>Move</b> is CopyObject (a multipart copy above {@link S3Limits#maxPartCopySize()}) of the version just
 *       stat'ed, a check that the copy has the source's size and CRC32C, then DeleteObject of the source. Readers
 *       see the target appear in one step; the source disappears after it.</li>
 *   <li><b>Concatenate</b> is one multipart upload of UploadPartCopy parts ({@link ConcatenationPlan}), published by
 *       CompleteMultipartUpload, its CRC32C combined from the sources' and set as metadata. Sources below the 5 MiB
 *       part minimum are merged through Berth; more parts than one upload allows are assembled in groups first.</li>
 *   <li><b>Copied sources</b> (of moves and concatenations) are pinned to the stat'ed version with
 *       {@code x-amz-copy-source-if-match} where the server compares it with the ETag it reports. Swift 2.30's
 *       s3api compares it with Swift's internal ETag instead, which differs for every object completed by multipart
 *       upload (all of this store's objects above {@code bufferSize}), and so refuses each copy of one with 412;
 *       there the copies go unconditioned and each source is stat'ed again afterwards, the operation failing when
 *       its ETag changed. The store's own staging objects are copied without a condition: nothing else writes
 *       them.</li>
 *   <li><b>Listing</b> follows continuation tokens and returns what ListObjectsV2 reports: key, size, ETag and
 *       time, without the CRC32C, which lives in user metadata that only {@link #stat} (HeadObject) returns.</li>
 * </ul>
 *
 * <p>Staging, assembly and probe objects live under {@code <prefix>.berth/}, which no valid key reaches and
 * listings skip. The configured prefix is part of every object name, so on servers that limit names to 1024 bytes
 * (Swift) it shortens the longest key the store accepts by its own length; Berth's own keys stay well below that,
 * its repository names being at most 255 bytes. Requests are signed without signing the body (see {@link UnsignedPayloadAuthScheme}); the
 * checksums above protect the bytes.
 */
public final class S3Store implements ObjectStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3Store.class);
    /** The user metadata name; S3 sends it as {@code x-amz-meta-crc32c}. */
    static final String CRC_METADATA = "crc32c";
    /** Under the prefix, the store's own objects; key components never start with {@code .}. */
    private static final String RESERVED = ".berth/";
    private static final int LIST_PAGE_MAX = 1000;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final S3Limits limits;
    private final S3Features features;
    private final MultipartAssembler assembler;
    private final KeyLocks locks = new KeyLocks(256);

    private S3Store(S3Client s3, String bucket, String prefix, S3Limits limits, S3Features features) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.limits = limits;
        this.features = features;
        this.assembler = new MultipartAssembler(s3, bucket, features.copySourceIfMatch());
    }

    /** Connects with S3's own limits. */
    public static S3Store open(S3Settings settings) {
        return open(settings, S3Limits.defaults());
    }

    /** Connects, creates the bucket when missing and probes the server's features. */
    public static S3Store open(S3Settings settings, S3Limits limits) {
        S3Client s3 = S3Clients.create(settings);
        try {
            String prefix = normalizePrefix(settings.prefix());
            ensureBucket(s3, settings.bucket());
            S3Features features = new S3FeatureProbe(s3, settings.bucket(), prefix + RESERVED).run();
            log.info("S3 store at {} bucket {} prefix '{}': {}", settings.endpoint().isEmpty() ? "AWS"
                    : LoggedUrls.of(settings.endpoint()), settings.bucket(), prefix, features.describe());
            return new S3Store(s3, settings.bucket(), prefix, limits, features);
        } catch (SdkException e) {
            s3.close();
            throw new StorageException("cannot open the S3 store " + settings + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    /** What the start-up probe found. */
    public S3Features features() {
        return features;
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return head(key, objectKey(key));
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length == 0 || (length > 0 && length > Long.MAX_VALUE - offset)) {
            // Nothing to fetch, or no range S3 could express: decide from the object's size alone.
            ObjectInfo info = stat(key).orElseThrow(() -> new ObjectNotFoundException(key));
            if (offset < 0 || offset > info.size() || (length > 0 && length > info.size() - offset)) {
                throw new RangeNotSatisfiableException(key, offset, length, info.size());
            }
            return InputStream.nullInputStream();
        }
        String range = offset == 0 && length < 0 ? null
                : "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1));
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(r -> r.bucket(bucket).key(objectKey(key)).range(range));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                ObjectInfo info = stat(key).orElseThrow(() -> new ObjectNotFoundException(key));
                if (length < 0 && offset == info.size()) {
                    return InputStream.nullInputStream(); // the empty tail S3 cannot name as a range
                }
                throw new RangeNotSatisfiableException(key, offset, length, info.size());
            }
            if (e.statusCode() >= 500 && !listed(objectKey(key))) {
                throw new ObjectNotFoundException(key);
            }
            throw failure("get " + key, key, e);
        } catch (SdkException e) {
            throw failure("get " + key, key, e);
        }
        // S3 shortens a range that runs past the end instead of refusing it.
        long served = in.response().contentLength();
        if (length > 0 && served != length) {
            long size = totalOf(in.response().contentRange(), -1);
            closeQuietly(in);
            throw new RangeNotSatisfiableException(key, offset, length,
                    size >= 0 ? size : stat(key).map(ObjectInfo::size).orElse(offset + served));
        }
        return in;
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return put(key, data, -1, condition);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, PutCondition condition) {
        return putBuffered(key, data.clone(), condition);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        Objects.requireNonNull(condition, "condition");
        try {
            if (length >= 0 && length <= limits.bufferSize()) {
                byte[] bytes = data.readNBytes((int) length);
                if (bytes.length != length) {
                    throw new StorageException("put " + key + ": the body ended after " + bytes.length
                            + " of its declared " + length + " bytes");
                }
                if (data.read() >= 0) {
                    throw new StorageException("put " + key + ": the body is longer than its declared " + length
                            + " bytes");
                }
                return putBuffered(key, bytes, condition);
            }
            if (length < 0) {
                byte[] first = data.readNBytes(limits.bufferSize());
                PushbackInputStream rest = new PushbackInputStream(data, 1);
                int next = first.length < limits.bufferSize() ? -1 : rest.read();
                if (next < 0) {
                    return putBuffered(key, first, condition);
                }
                rest.unread(next);
                return putStaged(key, stageMultipart(first, rest, -1), condition);
            }
            if (length > limits.maxSinglePutSize()) {
                byte[] first = data.readNBytes(limits.bufferSize());
                return putStaged(key, stageMultipart(first, data, length), condition);
            }
            if (features.crc32cTrailer()) {
                return putStreamedWithTrailer(key, data, length, condition);
            }
            return putStaged(key, stageSingle(data, length), condition);
        } catch (IOException e) {
            throw new StorageException("put " + key + ": reading the body failed: " + e.getMessage(), e);
        }
    }

    /** One PutObject carrying every checksum in its headers and the CRC32C as metadata. */
    private ObjectInfo putBuffered(String key, byte[] bytes, PutCondition condition) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        long crcValue = crc.getValue();
        String md5 = S3Checksums.base64(ChecksummingInputStream.newMd5().digest(bytes));
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(objectKey(key))
                .contentLength((long) bytes.length).contentMD5(md5).metadata(crcMetadata(crcValue));
        if (features.crc32cHeader()) {
            request.checksumCRC32C(S3Checksums.base64Crc32c(crcValue));
        }
        return conditionally(key, condition, native_ -> {
            applyCondition(request, native_);
            PutObjectResponse response = s3.putObject(request.build(), RequestBody.fromBytes(bytes));
            return new ObjectInfo(key, bytes.length, response.eTag(), dateOf(response), Crc32cs.hex(crcValue));
        });
    }

    /** Streams a body of known length straight to its key, its CRC32C sent as a trailer the server verifies. */
    private ObjectInfo putStreamedWithTrailer(String key, InputStream data, long length, PutCondition condition) {
        ChecksummingInputStream counted = new ChecksummingInputStream(new ExactLengthInputStream(data, length));
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(objectKey(key))
                .contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
        return conditionally(key, condition, native_ -> {
            applyCondition(request, native_);
            PutObjectResponse response;
            try {
                response = s3.putObject(request.build(), RequestBody.fromInputStream(counted, length));
            } catch (RuntimeException e) {
                throw bodyFailure(key, counted, e);
            }
            String crc = Crc32cs.hex(counted.crc32c());
            Long stored = S3Checksums.parseBase64Crc32c(response.checksumCRC32C());
            if (stored == null || stored != counted.crc32c()) {
                log.error("put {}: the server reports crc32c {} for a body with crc32c {}", key,
                        stored == null ? null : Crc32cs.hex(stored), crc);
                throw new StorageException("put " + key + ": the server stored another CRC32C than was sent");
            }
            return new ObjectInfo(key, length, response.eTag(), dateOf(response), crc);
        });
    }

    /** A streamed body parked under the reserved prefix, with what was verified about it. */
    private record Staged(String objectKey, long size, String etag, long crc32c) {}

    /** Streams a body of known length to a staging object in one PutObject and checks its ETag against the MD5. */
    private Staged stageSingle(InputStream data, long length) {
        String staging = reservedKey("staging");
        ChecksummingInputStream counted = new ChecksummingInputStream(new ExactLengthInputStream(data, length));
        PutObjectResponse response;
        try {
            response = s3.putObject(r -> r.bucket(bucket).key(staging).contentLength(length),
                    RequestBody.fromInputStream(counted, length));
        } catch (RuntimeException e) {
            RuntimeException failure = bodyFailure(staging, counted, e);
            throw failure instanceof SdkException sdk ? failure("staging a body", staging, sdk) : failure;
        }
        String md5 = counted.md5Hex();
        if (!md5.equals(S3Checksums.unquote(response.eTag()))) {
            deleteQuietly(staging);
            log.error("staging {}: the server's ETag {} is not the MD5 {} of the {} bytes sent", staging,
                    response.eTag(), md5, length);
            throw new StorageException("the server stored another body than was sent (ETag " + response.eTag()
                    + ", MD5 " + md5 + ")");
        }
        return new Staged(staging, length, response.eTag(), counted.crc32c());
    }

    /**
     * Streams a body to a staging object as a multipart upload of {@code bufferSize} parts, each sent with its
     * Content-MD5. Memory stays at one buffer however long the body is. {@code length} is -1 when unknown.
     */
    private Staged stageMultipart(byte[] first, InputStream rest, long length) throws IOException {
        String staging = reservedKey("staging");
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(staging)).uploadId();
        } catch (SdkException e) {
            throw failure("staging a multipart body", staging, e);
        }
        try {
            CRC32C crc = new CRC32C();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = first.length == limits.bufferSize() ? first : new byte[limits.bufferSize()];
            int filled = first.length;
            if (buffer != first) {
                System.arraycopy(first, 0, buffer, 0, filled);
            }
            long total = 0;
            while (true) {
                if (filled < buffer.length) {
                    filled += rest.readNBytes(buffer, filled, buffer.length - filled);
                }
                if (filled == 0 && !parts.isEmpty()) {
                    break;
                }
                if (parts.size() == limits.maxParts()) {
                    throw new StorageException("a body of more than " + total + " bytes needs more than "
                            + limits.maxParts() + " parts");
                }
                crc.update(buffer, 0, filled);
                total += filled;
                int number = parts.size() + 1;
                int partLength = filled;
                String md5 = S3Checksums.base64(md5(buffer, partLength));
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(staging).uploadId(uploadId).partNumber(number)
                        .contentLength((long) partLength).contentMD5(md5),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, partLength), partLength))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                if (filled < buffer.length) {
                    break; // the body ended inside this part
                }
                filled = 0;
            }
            if (length >= 0 && total != length) {
                throw new StorageException("the body yielded " + total + " bytes, not its declared " + length);
            }
            String etag = s3.completeMultipartUpload(r -> r.bucket(bucket).key(staging).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag();
            return new Staged(staging, total, etag, crc.getValue());
        } catch (IOException | RuntimeException e) {
            assembler.abort(staging, uploadId);
            if (e instanceof SdkException sdk) {
                throw failure("staging a multipart body", staging, sdk);
            }
            throw e;
        }
    }

    /** Publishes a staged body at {@code key} with a server-side copy that sets its CRC32C metadata. */
    private ObjectInfo putStaged(String key, Staged staged, PutCondition condition) {
        try {
            // No ETag condition: the staging object has a fresh name and nothing else writes it.
            MultipartAssembler.Source source = new MultipartAssembler.Source(staged.objectKey(), staged.size(), null);
            return conditionally(key, condition, native_ -> {
                var completed = assembler.assemble(List.of(source),
                        ConcatenationPlan.of(new long[] {staged.size()}, limits), objectKey(key),
                        crcMetadata(staged.crc32c()), precondition(native_));
                return new ObjectInfo(key, staged.size(), completed.eTag(), dateOf(completed),
                        Crc32cs.hex(staged.crc32c()));
            });
        } finally {
            deleteQuietly(staged.objectKey());
        }
    }

    // ---- conditions ---------------------------------------------------------------------------------------------

    /** A write that receives the condition to send natively, or null when the store checks it itself. */
    private interface ConditionalWrite {
        ObjectInfo write(PutCondition nativeCondition);
    }

    /**
     * Runs {@code write} with the condition sent to the server where it honours it; otherwise checks the condition
     * with HeadObject and writes (see the class comment for what that guarantees). Conditional writes hold this
     * key's lock either way, so they are exact among this instance's callers even when the start-up probe, which
     * races a few writers, took a server that enforces conditions non-atomically for an atomic one.
     */
    private ObjectInfo conditionally(String key, PutCondition condition, ConditionalWrite write) {
        if (condition instanceof PutCondition.Always) {
            return sendNative(key, condition, write);
        }
        boolean nativeCondition = switch (condition) {
            case PutCondition.Always a -> true;
            case PutCondition.IfAbsent a -> features.ifNoneMatch();
            case PutCondition.IfMatch m -> features.ifMatch();
        };
        return locks.locked(key, () -> {
            if (nativeCondition) {
                return sendNative(key, condition, write);
            }
            Optional<ObjectInfo> current = stat(key);
            boolean holds = switch (condition) {
                case PutCondition.Always a -> true;
                case PutCondition.IfAbsent a -> current.isEmpty();
                case PutCondition.IfMatch m -> current.isPresent() && current.get().etag().equals(m.etag());
            };
            if (!holds) {
                throw new PreconditionFailedException(key, condition);
            }
            try {
                return write.write(PutCondition.always());
            } catch (SdkException e) {
                throw failure("put " + key, key, e);
            }
        });
    }

    private ObjectInfo sendNative(String key, PutCondition condition, ConditionalWrite write) {
        try {
            return write.write(condition);
        } catch (S3Exception e) {
            throw conditionFailure(key, condition, e);
        } catch (SdkException e) {
            throw failure("put " + key, key, e);
        }
    }

    private static void applyCondition(PutObjectRequest.Builder request, PutCondition condition) {
        MultipartAssembler.Precondition p = precondition(condition);
        request.ifNoneMatch(p.ifNoneMatch()).ifMatch(p.ifMatch());
    }

    private static MultipartAssembler.Precondition precondition(PutCondition condition) {
        return switch (condition) {
            case PutCondition.Always a -> MultipartAssembler.Precondition.NONE;
            case PutCondition.IfAbsent a -> new MultipartAssembler.Precondition("*", null);
            case PutCondition.IfMatch m -> new MultipartAssembler.Precondition(null, m.etag());
        };
    }

    private StorageException conditionFailure(String key, PutCondition condition, S3Exception e) {
        if (condition instanceof PutCondition.Always) {
            return failure("put " + key, key, e); // no condition of the caller's could have failed
        }
        int status = e.statusCode();
        // 409: AWS's answer to a conflicting concurrent conditional write; 404: If-Match on a missing key.
        if (status == 412 || status == 409 || (status == 404 && condition instanceof PutCondition.IfMatch)) {
            return new PreconditionFailedException(key, condition);
        }
        return failure("put " + key, key, e);
    }

    // ---- listing, deleting, moving, concatenating ---------------------------------------------------------------

    @Override
    public ListPage list(String listPrefix, String startAfter, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        String full = prefix + (listPrefix == null ? "" : listPrefix);
        List<S3Object> found = new ArrayList<>();
        String token = null;
        String after = startAfter == null || startAfter.isEmpty() ? null : prefix + startAfter;
        try {
            do {
                String continuation = token;
                int want = Math.min(LIST_PAGE_MAX, limit + 1 - found.size());
                ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix(full).maxKeys(want)
                        .startAfter(continuation == null ? after : null).continuationToken(continuation));
                for (S3Object object : page.contents()) {
                    if (!isReserved(object.key()) && found.size() <= limit) {
                        found.add(object);
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null && found.size() <= limit);
        } catch (SdkException e) {
            throw failure("list " + listPrefix, listPrefix, e);
        }
        List<S3Object> shown = found.size() > limit ? found.subList(0, limit) : found;
        List<ObjectInfo> entries = shown.stream().map(this::entryOf).toList();
        String next = found.size() > limit ? keyOf(shown.getLast().key()) : null;
        return new ListPage(entries, next);
    }

    /** A listing entry as ListObjectsV2 reports it; it has no user metadata, so no CRC32C (see {@link #list}). */
    private ObjectInfo entryOf(S3Object object) {
        return new ObjectInfo(keyOf(object.key()), object.size(), object.eTag(),
                object.lastModified() == null ? Instant.EPOCH : object.lastModified(), null);
    }

    @Override
    public boolean delete(String key) {
        if (stat(key).isEmpty()) {
            return false;
        }
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(objectKey(key)));
            return true;
        } catch (SdkException e) {
            throw failure("delete " + key, key, e);
        }
    }

    @Override
    public ObjectInfo move(String from, String to) {
        ObjectInfo source = stat(from).orElseThrow(() -> new ObjectNotFoundException(from));
        if (from.equals(to)) {
            return source;
        }
        try {
            if (source.size() <= limits.maxPartCopySize()) {
                String condition = features.copySourceIfMatch() ? source.etag() : null;
                s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(objectKey(from)).copySourceIfMatch(condition)
                        .destinationBucket(bucket).destinationKey(objectKey(to))
                        .metadataDirective(MetadataDirective.COPY));
            } else {
                Long crc = Crc32cs.parse(source.crc32c());
                assembler.assemble(List.of(sourceOf(source)), ConcatenationPlan.of(new long[] {source.size()}, limits),
                        objectKey(to), crc == null ? Map.of() : crcMetadata(crc), MultipartAssembler.Precondition.NONE);
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new StorageException("move " + from + ": the source changed while it was copied", e);
            }
            throw failure("move " + from + " to " + to, from, e);
        } catch (SdkException e) {
            throw failure("move " + from + " to " + to, from, e);
        }
        ObjectInfo copied = stat(to).orElseThrow(() -> new StorageException("move " + from + ": the copy at " + to
                + " vanished"));
        if (copied.size() != source.size() || !Objects.equals(copied.crc32c(), source.crc32c())) {
            log.error("move {} to {}: the copy is {} bytes with crc32c {}, the source {} bytes with crc32c {}", from,
                    to, copied.size(), copied.crc32c(), source.size(), source.crc32c());
            throw new StorageException("move " + from + " to " + to + ": the copy differs from the source; the source"
                    + " is kept");
        }
        checkUnchanged(List.of(source), "move " + from + " to " + to);
        delete(from);
        return copied;
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        List<ObjectInfo> infos = new ArrayList<>();
        for (String source : sources) {
            infos.add(stat(source).orElseThrow(() -> new ObjectNotFoundException(source)));
        }
        long total = infos.stream().mapToLong(ObjectInfo::size).sum();
        if (total == 0) {
            return putBuffered(target, new byte[0], PutCondition.always());
        }
        Long crc = combinedCrc(infos);
        List<MultipartAssembler.Source> parts = infos.stream().map(this::sourceOf).toList();
        List<String> temporaries = new ArrayList<>();
        try {
            assembleInto(parts, crc, objectKey(target), temporaries);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new StorageException("concatenate into " + target + ": a source changed meanwhile", e);
            }
            throw failure("concatenate into " + target, target, e);
        } catch (SdkException e) {
            throw failure("concatenate into " + target, target, e);
        } finally {
            temporaries.forEach(this::deleteQuietly);
        }
        checkUnchanged(infos, "concatenate into " + target);
        ObjectInfo joined = stat(target).orElseThrow(() -> new StorageException("concatenate: " + target
                + " vanished"));
        String expected = crc == null ? null : Crc32cs.hex(crc);
        if (joined.size() != total || !Objects.equals(joined.crc32c(), expected)) {
            throw new StorageException("concatenate into " + target + ": the result is " + joined.size()
                    + " bytes with crc32c " + joined.crc32c() + ", expected " + total + " bytes with crc32c " + expected);
        }
        return joined;
    }

    /**
     * Assembles in one multipart upload when the plan fits its part limit; otherwise assembles groups of sources
     * into temporary objects first (each with its combined CRC32C) and then those, recursively.
     */
    private void assembleInto(List<MultipartAssembler.Source> sources, Long crc, String target,
            List<String> temporaries) {
        long[] sizes = sources.stream().mapToLong(MultipartAssembler.Source::size).toArray();
        List<Integer> starts = ConcatenationPlan.groupStarts(sizes, limits);
        if (starts.size() == 1) {
            assembler.assemble(sources, ConcatenationPlan.of(sizes, limits), target,
                    crc == null ? Map.of() : crcMetadata(crc), MultipartAssembler.Precondition.NONE);
            return;
        }
        if (starts.size() == sources.size()) {
            throw new StorageException("cannot assemble " + sources.size() + " sources within " + limits.maxParts()
                    + " parts per upload");
        }
        List<MultipartAssembler.Source> groups = new ArrayList<>();
        for (int g = 0; g < starts.size(); g++) {
            int end = g + 1 < starts.size() ? starts.get(g + 1) : sources.size();
            List<MultipartAssembler.Source> group = sources.subList(starts.get(g), end);
            if (group.size() == 1) {
                groups.add(group.getFirst());
                continue;
            }
            String temporary = reservedKey("assembly");
            temporaries.add(temporary);
            long[] groupSizes = group.stream().mapToLong(MultipartAssembler.Source::size).toArray();
            String etag = assembler.assemble(group, ConcatenationPlan.of(groupSizes, limits), temporary, Map.of(),
                    MultipartAssembler.Precondition.NONE).eTag();
            groups.add(new MultipartAssembler.Source(temporary, java.util.Arrays.stream(groupSizes).sum(), etag));
        }
        assembleInto(groups, crc, target, temporaries);
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities("s3", features.atomicConditionalPut());
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "s3(" + bucket + "/" + prefix + ")";
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * Where the server cannot make copies conditional on the source's ETag, checks afterwards that each source
     * still has the ETag it had when stat'ed, so a source replaced during the copy fails the operation.
     */
    private void checkUnchanged(List<ObjectInfo> sources, String what) {
        if (features.copySourceIfMatch()) {
            return;
        }
        for (ObjectInfo source : sources) {
            Optional<ObjectInfo> now = stat(source.key());
            if (now.isEmpty() || !now.get().etag().equals(source.etag())) {
                throw new StorageException(what + ": the source " + source.key() + " changed or vanished while it"
                        + " was copied");
            }
        }
    }

    private Optional<ObjectInfo> head(String key, String objectKey) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(r -> r.bucket(bucket).key(objectKey)
                    .checksumMode(features.crc32cTrailer() ? ChecksumMode.ENABLED : null));
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || (e.statusCode() >= 500 && !listed(objectKey))) {
                return Optional.empty();
            }
            throw failure("stat " + key, key, e);
        } catch (SdkException e) {
            throw failure("stat " + key, key, e);
        }
        return Optional.of(new ObjectInfo(key, head.contentLength(), head.eTag(),
                head.lastModified() == null ? Instant.EPOCH : head.lastModified(), crcOf(head)));
    }

    /**
     * Whether a listing shows the object. Some servers fail a HeadObject with 500 where a file-backed store cannot
     * map the key (s3proxy's filesystem provider, for {@code a/b} when {@code a} is an object); the listing tells
     * an absent object from a failing server.
     */
    private boolean listed(String objectKey) {
        try {
            return s3.listObjectsV2(r -> r.bucket(bucket).prefix(objectKey).maxKeys(1)).contents().stream()
                    .anyMatch(o -> o.key().equals(objectKey));
        } catch (SdkException e) {
            return true; // the server fails either way: report the original failure
        }
    }

    /** The CRC32C from Berth's metadata, else the server's own checksum of the whole object. */
    private static String crcOf(HeadObjectResponse head) {
        Long fromMetadata = Crc32cs.parse(head.metadata().get(CRC_METADATA));
        if (fromMetadata != null) {
            return Crc32cs.hex(fromMetadata);
        }
        boolean wholeObject = head.checksumType() == null || "FULL_OBJECT".equals(head.checksumTypeAsString());
        Long native_ = wholeObject ? S3Checksums.parseBase64Crc32c(head.checksumCRC32C()) : null;
        return native_ == null ? null : Crc32cs.hex(native_);
    }

    private static Long combinedCrc(List<ObjectInfo> infos) {
        long crc = 0;
        for (ObjectInfo info : infos) {
            Long part = Crc32cs.parse(info.crc32c());
            if (part == null) {
                return null; // one source of unknown checksum leaves the whole unknown
            }
            crc = Crc32cs.combine(crc, part, info.size());
        }
        return crc;
    }

    private MultipartAssembler.Source sourceOf(ObjectInfo info) {
        return new MultipartAssembler.Source(objectKey(info.key()), info.size(), info.etag());
    }

    private static Map<String, String> crcMetadata(long crc) {
        return Map.of(CRC_METADATA, Crc32cs.hex(crc));
    }

    private String objectKey(String key) {
        return prefix + key;
    }

    private String keyOf(String objectKey) {
        return objectKey.substring(prefix.length());
    }

    private boolean isReserved(String objectKey) {
        return objectKey.startsWith(prefix + ".");
    }

    private String reservedKey(String kind) {
        return prefix + RESERVED + kind + "/" + UUID.randomUUID();
    }

    private void deleteQuietly(String objectKey) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(objectKey));
        } catch (SdkException e) {
            log.warn("could not delete {}: {}", objectKey, e.getMessage());
        }
    }

    private static String normalizePrefix(String prefix) {
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static void ensureBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return;
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        try {
            s3.createBucket(r -> r.bucket(bucket));
            log.info("created the S3 bucket {}", bucket);
        } catch (S3Exception e) {
            // Another process may have created it in the meantime.
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * The failure of a streamed put: when reading the body failed, that failure (which the SDK may have replaced
     * with its own, such as a refused retry) is the cause, so callers can tell a client's broken body from a
     * store failure.
     */
    private static RuntimeException bodyFailure(String key, ChecksummingInputStream body, RuntimeException e) {
        if (body.failure() != null) {
            StorageException failure = new StorageException("put " + key + ": reading the body failed: "
                    + body.failure().getMessage(), body.failure());
            failure.addSuppressed(e);
            return failure;
        }
        return e;
    }

    private static StorageException failure(String what, String key, SdkException e) {
        if (e instanceof S3Exception s3e && s3e.statusCode() == 404) {
            return new ObjectNotFoundException(key);
        }
        return new StorageException(what + " failed: " + e.getMessage(), e);
    }

    /** The server's Date header: when it stored the object, within the second. */
    private static Instant dateOf(AwsResponse response) {
        return response.sdkHttpResponse().firstMatchingHeader("Date").map(date -> {
            try {
                return ZonedDateTime.parse(date, HTTP_DATE).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }).orElseGet(Instant::now);
    }

    /** The total size from a {@code Content-Range: bytes a-b/total} header, or {@code otherwise}. */
    private static long totalOf(String contentRange, long otherwise) {
        if (contentRange == null) {
            return otherwise;
        }
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0 ? otherwise : Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Only the range check's answer matters.
        }
    }

    private static byte[] md5(byte[] buffer, int length) {
        MessageDigest md5 = ChecksummingInputStream.newMd5();
        md5.update(buffer, 0, length);
        return md5.digest();
    }
}
