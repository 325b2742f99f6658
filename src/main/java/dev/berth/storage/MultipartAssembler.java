package dev.berth.storage;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Carries out a {@link ConcatenationPlan} as one multipart upload: part copies on the server, merged small pieces
 * uploaded from a buffer of at most one minimum part, and the object published in one step by
 * CompleteMultipartUpload (conditionally, when asked). Any failure aborts the upload, so nothing is published.
 *
 * <p>A source that changed or vanished under a copy or read fails the assembly with a {@link StorageException},
 * never with the server's 412: that status belongs to the caller's own condition on the completion.
 */
final class MultipartAssembler {
    /**
     * A source object as it was when the plan was made. Reads insist on this version ({@code If-Match}), and so
     * do copies where the server honours {@code x-amz-copy-source-if-match}. The ETag is null for the store's own
     * staging objects, which nothing else writes, so there is no other version to guard against.
     */
    record Source(String objectKey, long size, String etag) {}

    /** The native precondition headers for CompleteMultipartUpload; both null for an unconditional write. */
    record Precondition(String ifNoneMatch, String ifMatch) {
        static final Precondition NONE = new Precondition(null, null);
    }

    private final S3Client s3;
    private final String bucket;
    private final boolean copySourceIfMatch;

    /**
     * {@code copySourceIfMatch}: send the source's ETag with each part copy; only where the server compares it
     * with the ETag it reports (Swift 2.30's s3api compares it with its internal one for multipart objects).
     */
    MultipartAssembler(S3Client s3, String bucket, boolean copySourceIfMatch) {
        this.s3 = s3;
        this.bucket = bucket;
        this.copySourceIfMatch = copySourceIfMatch;
    }

    /** Writes the sources, in order, to {@code target} with {@code metadata}; returns the completed upload. */
    CompleteMultipartUploadResponse assemble(List<Source> sources, ConcatenationPlan plan, String target,
            Map<String, String> metadata, Precondition precondition) {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(target).metadata(metadata)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 0;
            for (ConcatenationPlan.Part part : plan.parts()) {
                number++;
                String etag = switch (part) {
                    case ConcatenationPlan.CopyPart copy -> copyPart(sources, copy.piece(), target, uploadId, number);
                    case ConcatenationPlan.UploadPart upload -> uploadPart(sources, upload, target, uploadId, number);
                };
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            return s3.completeMultipartUpload(r -> r.bucket(bucket).key(target).uploadId(uploadId)
                    .ifNoneMatch(precondition.ifNoneMatch()).ifMatch(precondition.ifMatch())
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException | Error e) {
            abort(target, uploadId);
            throw e;
        }
    }

    /** Abandons an upload; a failure here only leaves parts that the server's lifecycle rules expire. */
    void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // The original failure is the one worth reporting.
        }
    }

    private String copyPart(List<Source> sources, ConcatenationPlan.Piece piece, String target, String uploadId,
            int number) {
        Source source = sources.get(piece.source());
        boolean whole = piece.offset() == 0 && piece.length() == source.size();
        String range = whole ? null : "bytes=" + piece.offset() + "-" + (piece.offset() + piece.length() - 1);
        String condition = copySourceIfMatch ? source.etag() : null;
        try {
            return s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(source.objectKey())
                            .copySourceIfMatch(condition).copySourceRange(range)
                            .destinationBucket(bucket).destinationKey(target).uploadId(uploadId).partNumber(number))
                    .copyPartResult().eTag();
        } catch (S3Exception e) {
            throw sourceFailure(source, e);
        }
    }

    /** A 412 or 404 on a source means it changed or vanished since the plan was made. */
    private static RuntimeException sourceFailure(Source source, S3Exception e) {
        if (e.statusCode() == 412 || e.statusCode() == 404) {
            return new StorageException("the source " + source.objectKey() + " changed or vanished while it was"
                    + " copied (" + e.statusCode() + ")", e);
        }
        return e;
    }

    private ResponseInputStream<GetObjectResponse> getSource(Source source, String range) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(source.objectKey()).range(range).ifMatch(source.etag()));
        } catch (S3Exception e) {
            throw sourceFailure(source, e);
        }
    }

    /** Reads the pieces into one buffer and uploads it with its Content-MD5, which the server verifies. */
    private String uploadPart(List<Source> sources, ConcatenationPlan.UploadPart part, String target,
            String uploadId, int number) {
        byte[] buffer = new byte[Math.toIntExact(part.length())];
        int filled = 0;
        for (ConcatenationPlan.Piece piece : part.pieces()) {
            Source source = sources.get(piece.source());
            String range = "bytes=" + piece.offset() + "-" + (piece.offset() + piece.length() - 1);
            try (ResponseInputStream<GetObjectResponse> in = getSource(source, range)) {
                int n = in.readNBytes(buffer, filled, (int) piece.length());
                if (n != piece.length() || in.read() >= 0) {
                    throw new StorageException("source " + source.objectKey() + " did not yield bytes " + range);
                }
                filled += n;
            } catch (IOException e) {
                throw new StorageException("reading " + source.objectKey() + " to merge it failed: " + e, e);
            }
        }
        MessageDigest md5 = ChecksummingInputStream.newMd5();
        String contentMd5 = S3Checksums.base64(md5.digest(buffer));
        return s3.uploadPart(r -> r.bucket(bucket).key(target).uploadId(uploadId).partNumber(number)
                .contentLength((long) buffer.length).contentMD5(contentMd5), RequestBody.fromBytes(buffer)).eTag();
    }
}
