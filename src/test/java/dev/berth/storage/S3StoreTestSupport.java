package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The contract suite and the S3-specific cases against one real S3 server. Each test (JUnit makes an instance per
 * test) uses a fresh bucket, so every test starts with an empty store, and empties and removes it afterwards.
 */
abstract class S3StoreTestSupport extends ObjectStoreContract {
    private static final long MIB = 1L << 20;
    /** Real servers refuse smaller parts, so tests lower every limit but this one. */
    private static final long MIN_PART = 5 * MIB;

    private final String bucket = "berth-test-" + getClass().getSimpleName().toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<S3Store> opened = new ArrayList<>();
    private S3Settings settings;

    /** A short name of the server, which also names its system properties: {@code berth.test.s3.NAME.*}. */
    protected abstract String server();

    protected abstract String defaultEndpoint();

    protected abstract String defaultAccessKey();

    protected abstract String defaultSecretKey();

    /**
     * The key prefix the stores use. The bucket alone isolates the tests; a prefix exercises that path but
     * lengthens every object name, which servers with a 1024-byte name limit (Swift) must not see.
     */
    protected String prefix() {
        return "t/";
    }

    private String property(String name, String otherwise) {
        return System.getProperty("berth.test.s3." + server() + "." + name, otherwise);
    }

    protected S3Settings settings() {
        if (settings == null) {
            String endpoint = property("endpoint", defaultEndpoint());
            requireReachable(endpoint);
            settings = new S3Settings(endpoint, "us-east-1", bucket, prefix(),
                    property("access-key", defaultAccessKey()), property("secret-key", defaultSecretKey()), true);
        }
        return settings;
    }

    /** Fails (never skips) when the server is not there, saying how to start it. */
    private void requireReachable(String endpoint) {
        URI uri = URI.create(endpoint);
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 2000);
        } catch (IOException e) {
            fail(server() + " is not reachable at " + endpoint + " (" + e.getMessage()
                    + "): start the servers with scripts/storage-servers start");
        }
    }

    protected S3Store open(S3Limits limits) {
        S3Store store = S3Store.open(settings(), limits);
        opened.add(store);
        return store;
    }

    @Override
    protected ObjectStore createStore() {
        return new CheckedStore(open(S3Limits.defaults()));
    }

    @AfterEach
    void closeStoresAndRemoveTheBucket() {
        opened.forEach(S3Store::close);
        if (settings != null) {
            removeBucket(settings);
        }
    }

    /** Best effort: a bucket left behind only takes space on the test server. */
    private static void removeBucket(S3Settings settings) {
        try (S3Client s3 = S3Clients.create(settings)) {
            String bucket = settings.bucket();
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads()) {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
            }
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(bucket))) {
                List<ObjectIdentifier> keys = page.contents().stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                if (!keys.isEmpty()) {
                    // Swift's s3api insists on a Content-MD5, which the SDK no longer sends by default.
                    s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true))
                            .overrideConfiguration(o -> o.addPlugin(LegacyMd5Plugin.create())));
                }
            }
            s3.deleteBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            System.err.println("could not remove the test bucket " + settings.bucket() + ": " + e.getMessage());
        }
    }

    // ---- S3-specific cases ------------------------------------------------------------------------------------

    @Test
    void capabilitiesAreNamedS3AndMatchTheProbe() {
        S3Store s3 = opened.getFirst();
        assertThat(store.capabilities())
                .isEqualTo(new StoreCapabilities("s3", s3.features().atomicConditionalPut()));
    }

    @Test
    void concatenationMergesSourcesBelowTheMinimumPartSize() {
        long[] sizes = {1, MIB + 17, 2 * MIB, 3, 3 * MIB - 5, 700_000};
        assertConcatenates(store, sizes, 21);
    }

    @Test
    void concatenationOfMixedSizesCopiesLargeSourcesAndMergesSmallOnes() {
        long[] sizes = {100, 6 * MIB + 1, 2 * MIB, 3 * MIB, MIN_PART, 7 * MIB + 3, 10, 0, MIN_PART + 1};
        assertConcatenates(store, sizes, 22);
    }

    @Test
    void moreSourcesThanOneUploadHasPartsForAreAssembledInGroups() {
        // The copy limit stays high, so each group's result is copied as one part at the next level.
        ObjectStore limited = new CheckedStore(open(new S3Limits((int) MIN_PART, MIN_PART, 3, 1L << 30,
                2 * MIN_PART)));
        long[] sizes = {MIN_PART + 1, MIN_PART, 10, MIN_PART + 2, MIB, MIN_PART, MIN_PART + 3, 5};
        assertConcatenates(limited, sizes, 23);
        assertThat(limited.list("", null, 100).entries()).extracting(ObjectInfo::key)
                .allMatch(key -> key.startsWith("ns/"));
    }

    @Test
    void sourcesAboveTheCopyLimitAreCopiedInRanges() {
        ObjectStore limited = new CheckedStore(open(new S3Limits((int) MIN_PART, MIN_PART, 10_000, 2 * MIN_PART,
                2 * MIN_PART)));
        long[] sizes = {4 * MIN_PART + 7, 3, 2 * MIN_PART + 1};
        assertConcatenates(limited, sizes, 24);
    }

    @Test
    void anObjectAboveTheCopyLimitIsMovedByRanges() {
        ObjectStore limited = new CheckedStore(open(new S3Limits((int) MIN_PART, MIN_PART, 10_000, 2 * MIN_PART,
                2 * MIN_PART)));
        long size = 3 * MIN_PART + 11;
        ObjectInfo written = limited.put("ns/big", Patterns.stream(25, 0, size), size, PutCondition.always());

        ObjectInfo moved = limited.move("ns/big", "ns/moved");

        assertThat(moved.size()).isEqualTo(size);
        assertThat(moved.crc32c()).isEqualTo(Patterns.crc32c(25, 0, size)).isEqualTo(written.crc32c());
        Patterns.assertStreamEquals(limited.get("ns/moved", 0, -1), 25, 0, size);
        assertThat(limited.stat("ns/big")).isEmpty();
    }

    @Test
    void aBodyOfUnknownLengthIsStreamedInPartsOfTheBufferSize() {
        ObjectStore limited = new CheckedStore(open(new S3Limits((int) MIN_PART, MIN_PART, 10_000, 2 * MIN_PART,
                2 * MIN_PART)));
        long size = 2 * MIN_PART + 12345;

        ObjectInfo info = limited.put("ns/streamed", Patterns.stream(26, 0, size), -1, PutCondition.ifAbsent());

        assertThat(info.size()).isEqualTo(size);
        assertThat(info.crc32c()).isEqualTo(Patterns.crc32c(26, 0, size));
        assertSameInfo(limited.stat("ns/streamed").orElseThrow(), info);
        Patterns.assertStreamEquals(limited.get("ns/streamed", 0, -1), 26, 0, size);
        assertThatThrownBy(() -> limited.put("ns/streamed", Patterns.stream(27, 0, size), -1, PutCondition.ifAbsent()))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(limited.list("", null, 10).entries()).extracting(ObjectInfo::key).containsExactly("ns/streamed");
    }

    @Test
    void aBodyOfKnownLengthAboveTheBufferIsStreamedWithItsChecksum() {
        long size = 9 * MIB + 5;

        ObjectInfo info = store.put("ns/known", Patterns.stream(28, 0, size), size, PutCondition.always());

        assertThat(info.crc32c()).isEqualTo(Patterns.crc32c(28, 0, size));
        assertSameInfo(store.stat("ns/known").orElseThrow(), info);
        Patterns.assertStreamEquals(store.get("ns/known", 0, -1), 28, 0, size);
    }

    @Test
    void aBodyThatIsShorterOrLongerThanDeclaredPublishesNothing() {
        for (long declared : new long[] {100, 9 * MIB}) {
            assertThatThrownBy(() -> store.put("ns/short", Patterns.stream(29, 0, declared - 1), declared,
                    PutCondition.always())).as("%d bytes", declared).isInstanceOf(StorageException.class);
            assertThatThrownBy(() -> store.put("ns/long", Patterns.stream(29, 0, declared + 1), declared,
                    PutCondition.always())).as("%d bytes", declared).isInstanceOf(StorageException.class);
        }
        assertThat(store.stat("ns/short")).isEmpty();
        assertThat(store.stat("ns/long")).isEmpty();
        assertThat(store.list("", null, 10).entries()).isEmpty();
    }

    @Test
    void aKnownLengthAboveTheSinglePutLimitIsStreamedAsMultipartAndChecked() {
        // As a 6 GiB body against S3's 5 GiB PutObject limit: the declared length alone sends it as parts.
        ObjectStore limited = new CheckedStore(open(new S3Limits((int) MIN_PART, MIN_PART, 10_000, 4 * MIN_PART,
                2 * MIN_PART)));
        long size = 3 * MIN_PART + 17;

        ObjectInfo info = limited.put("ns/large", Patterns.stream(30, 0, size), size, PutCondition.ifAbsent());

        assertThat(info.size()).isEqualTo(size);
        assertThat(info.crc32c()).isEqualTo(Patterns.crc32c(30, 0, size));
        assertSameInfo(limited.stat("ns/large").orElseThrow(), info);
        Patterns.assertStreamEquals(limited.get("ns/large", 0, -1), 30, 0, size);
        assertThatThrownBy(() -> limited.put("ns/large", Patterns.stream(30, 0, size), size, PutCondition.ifAbsent()))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> limited.put("ns/short", Patterns.stream(31, 0, size - 1), size,
                PutCondition.always())).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> limited.put("ns/long", Patterns.stream(31, 0, size + 1), size,
                PutCondition.always())).isInstanceOf(StorageException.class);
        assertThat(limited.list("", null, 10).entries()).extracting(ObjectInfo::key).containsExactly("ns/large");
    }

    /** Writes consecutive pieces of one pattern, concatenates them and checks bytes, size and CRC32C. */
    private static void assertConcatenates(ObjectStore target, long[] sizes, long seed) {
        List<String> keys = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            String key = "ns/chunks/c" + i;
            target.put(key, Patterns.stream(seed, offset, sizes[i]), sizes[i], PutCondition.ifAbsent());
            keys.add(key);
            offset += sizes[i];
        }

        ObjectInfo joined = target.concatenate(keys, "ns/joined");

        assertThat(joined.size()).isEqualTo(offset);
        assertThat(joined.crc32c()).isEqualTo(Patterns.crc32c(seed, 0, offset));
        assertSameInfo(target.stat("ns/joined").orElseThrow(), joined);
        Patterns.assertStreamEquals(target.get("ns/joined", 0, -1), seed, 0, offset);
    }
}
