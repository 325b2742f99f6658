package dev.berth.storage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Finds out what an S3 server supports by trying it on probe objects under the store's reserved prefix, which no
 * valid key reaches. Each feature counts only when the server both accepts it and enforces it: a wrong checksum
 * must be refused and a failed condition must answer 412, since a server that ignores a header would otherwise
 * look like one that honours it. A conditional write counts as atomic only when it also survives a few races of
 * concurrent writers (s3proxy 4.1.0's filesystem provider honours {@code If-Match} but lets racing writers through).
 */
final class S3FeatureProbe {
    private final S3Client s3;
    private final String bucket;
    private final String base;
    private final List<String> written = new ArrayList<>();

    /** Probes under {@code reservedPrefix} (a full object key prefix, ending in {@code /}). */
    S3FeatureProbe(S3Client s3, String bucket, String reservedPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.base = reservedPrefix + "probe-" + UUID.randomUUID() + "/";
    }

    S3Features run() {
        try {
            return new S3Features(crc32cHeader(), crc32cTrailer(), ifNoneMatch(), ifMatch(), copySourceIfMatch());
        } finally {
            for (String key : written) {
                try {
                    s3.deleteObject(r -> r.bucket(bucket).key(key));
                } catch (SdkException e) {
                    // A leftover probe object is harmless: listings never show the reserved prefix.
                }
            }
        }
    }

    private static final int RACERS = 8;
    private static final int RACE_ROUNDS = 3;
    private static final byte[] DATA = "berth probe".getBytes(StandardCharsets.UTF_8);

    private boolean crc32cHeader() {
        String good = S3Checksums.base64Crc32c(crc(DATA));
        String wrong = S3Checksums.base64Crc32c(crc(DATA) ^ 1);
        try {
            PutObjectResponse accepted = s3.putObject(
                    r -> r.bucket(bucket).key(key("crc-good")).checksumCRC32C(good), RequestBody.fromBytes(DATA));
            if (!good.equals(accepted.checksumCRC32C())) {
                return false;
            }
        } catch (S3Exception e) {
            return false;
        }
        return refused(() -> s3.putObject(
                r -> r.bucket(bucket).key(key("crc-wrong")).checksumCRC32C(wrong), RequestBody.fromBytes(DATA)));
    }

    private boolean crc32cTrailer() {
        String key = key("crc-trailer");
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                    RequestBody.fromInputStream(new ByteArrayInputStream(DATA), DATA.length));
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            return S3Checksums.base64Crc32c(crc(DATA)).equals(head.checksumCRC32C());
        } catch (SdkException e) {
            return false;
        }
    }

    private boolean ifNoneMatch() {
        String key = key("if-none-match");
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromBytes(DATA));
        } catch (SdkException e) {
            return false;
        }
        boolean put = failsWith412(() -> s3.putObject(
                r -> r.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromBytes(DATA)));
        if (!put || !failsWith412(() -> completeOnto(key, "*", null))) {
            return false;
        }
        for (int round = 0; round < RACE_ROUNDS; round++) {
            String raced = key("if-none-match-race-" + round);
            if (winners(thread -> s3.putObject(r -> r.bucket(bucket).key(raced).ifNoneMatch("*"),
                    RequestBody.fromBytes(variant(thread)))) != 1) {
                return false;
            }
        }
        return true;
    }

    private boolean ifMatch() {
        String key = key("if-match");
        String etag;
        try {
            etag = s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(DATA)).eTag();
        } catch (SdkException e) {
            return false;
        }
        String stale = "\"00000000000000000000000000000000\"";
        boolean refused = failsWith412(() -> s3.putObject(
                r -> r.bucket(bucket).key(key).ifMatch(stale), RequestBody.fromBytes(DATA)));
        if (!refused || !failsWith412(() -> completeOnto(key, null, stale))) {
            return false;
        }
        try {
            s3.putObject(r -> r.bucket(bucket).key(key).ifMatch(etag), RequestBody.fromBytes(DATA));
        } catch (SdkException e) {
            return false;
        }
        for (int round = 0; round < RACE_ROUNDS; round++) {
            String current = s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(DATA)).eTag();
            if (winners(thread -> s3.putObject(r -> r.bucket(bucket).key(key).ifMatch(current),
                    RequestBody.fromBytes(variant(thread)))) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies an object completed by multipart upload (as the store's large objects are) on the condition of its
     * reported ETag, which must succeed, and of a stale one, which must fail with 412.
     */
    private boolean copySourceIfMatch() {
        String source = key("copy-source");
        String etag;
        try {
            completeOnto(source, null, null);
            // The ETag the store would hold: the one HeadObject reports.
            etag = s3.headObject(r -> r.bucket(bucket).key(source)).eTag();
        } catch (SdkException e) {
            return false;
        }
        String stale = "\"00000000000000000000000000000000\"";
        String target = key("copy-target");
        try {
            s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(source).copySourceIfMatch(etag)
                    .destinationBucket(bucket).destinationKey(target));
        } catch (SdkException e) {
            return false;
        }
        return failsWith412(() -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(source)
                .copySourceIfMatch(stale).destinationBucket(bucket).destinationKey(target)));
    }

    /**
     * Runs one conditional write on {@value #RACERS} threads at once and counts those that succeeded. A server
     * that checks the condition and then writes, without excluding concurrent writers, lets several win; one
     * clean race proves nothing, but a lost one proves the check is not atomic.
     */
    private int winners(java.util.function.IntConsumer write) {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < RACERS; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    write.accept(thread);
                    wins.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (SdkException e) {
                    // lost the race, as all but one should
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RACERS;
            }
        }
        return wins.get();
    }

    /** Distinct content per racer, so every successful write changes the ETag. */
    private static byte[] variant(int thread) {
        return ("berth probe " + thread).getBytes(StandardCharsets.UTF_8);
    }

    /** A one-part multipart upload completed onto {@code key} with a condition; aborted when refused. */
    private String completeOnto(String key, String ifNoneMatch, String ifMatch) {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        try {
            String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(1),
                    RequestBody.fromBytes(DATA)).eTag();
            return s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id).ifNoneMatch(ifNoneMatch)
                    .ifMatch(ifMatch)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).eTag();
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id));
            } catch (SdkException ignored) {
                // The server expires abandoned uploads.
            }
            throw e;
        }
    }

    private String key(String name) {
        String key = base + name;
        written.add(key);
        return key;
    }

    private static boolean refused(Runnable request) {
        try {
            request.run();
            return false;
        } catch (S3Exception e) {
            return e.statusCode() == 400 || e.statusCode() == 422;
        }
    }

    private static boolean failsWith412(Runnable request) {
        try {
            request.run();
            return false;
        } catch (S3Exception e) {
            return e.statusCode() == 412;
        }
    }

    private static long crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }
}
