package dev.berth.config;

import java.nio.file.Path;

/**
 * The whole configuration of one Berth process: one immutable tree, built by {@link ConfigLoader} from
 * flags, environment, file and defaults, in that order of precedence.
 *
 * @param listen {@code HOST:PORT} to bind
 * @param publicUrl base URL for {@code Location} headers; empty means taken from each request
 * @param storage where the objects live
 * @param limits request size limits
 * @param validation manifest validation policies
 * @param delete whether DELETE is allowed
 */
public record BerthConfig(
        String listen,
        String publicUrl,
        Storage storage,
        Limits limits,
        Validation validation,
        Delete delete) {

    /**
     * The storage backend and the settings of each driver; only the chosen driver's section is used.
     *
     * @param driver which backend holds the objects
     * @param filesystem the filesystem driver's settings
     * @param s3 the S3 driver's settings
     * @param swift the Swift driver's settings
     */
    public record Storage(StorageDriver driver, Filesystem filesystem, S3 s3, Swift swift) {
        /** A storage section with default S3 and Swift settings. */
        public Storage(StorageDriver driver, Filesystem filesystem) {
            this(driver, filesystem, S3.defaults(), Swift.defaults());
        }

        /** This section with another driver. */
        public Storage withDriver(StorageDriver newDriver) {
            return new Storage(newDriver, filesystem, s3, swift);
        }

        /** This section with other filesystem settings. */
        public Storage withFilesystem(Filesystem newFilesystem) {
            return new Storage(driver, newFilesystem, s3, swift);
        }

        /** This section with other S3 settings. */
        public Storage withS3(S3 newS3) {
            return new Storage(driver, filesystem, newS3, swift);
        }

        /** This section with other Swift settings. */
        public Storage withSwift(Swift newSwift) {
            return new Storage(driver, filesystem, s3, newSwift);
        }
    }

    /**
     * The filesystem backend's settings.
     *
     * @param root directory holding the objects; a relative path is relative to the working directory
     */
    public record Filesystem(Path root) {}

    /**
     * The S3 backend's settings (AWS, MinIO, Ceph, Swift's s3api, s3proxy).
     *
     * @param endpoint the service URL; empty for AWS's own endpoint of the region
     * @param region the signing region
     * @param bucket the bucket holding the objects
     * @param prefix a key prefix inside the bucket, so several registries can share one bucket; may be empty
     * @param accessKey the access key id; empty to use the AWS SDK's default credential chain
     * @param secretKey the secret access key
     * @param pathStyle true to address the bucket in the path rather than the host name
     */
    public record S3(String endpoint, String region, String bucket, String prefix, String accessKey,
            String secretKey, boolean pathStyle) {
        /** No endpoint, region us-east-1, bucket {@code berth}, no prefix, default credentials. */
        public static S3 defaults() {
            return new S3("", "us-east-1", "berth", "", "", "", false);
        }
    }

    /**
     * The OpenStack Swift backend's settings: tempauth (auth v1) with {@code user} and {@code key}, or Keystone v3
     * with {@code user}, {@code password}, {@code project} and {@code domain}; an auth URL ending in {@code /v3}
     * selects Keystone.
     *
     * @param authUrl the auth endpoint, such as {@code http://127.0.0.1:8080/auth/v1.0} or {@code https://keystone/v3}
     * @param user the user ({@code account:user} for tempauth)
     * @param key the tempauth key
     * @param password the Keystone password
     * @param project the Keystone project the token is scoped to
     * @param domain the Keystone domain of the user and project
     * @param region the Keystone region whose object-store endpoint is used; empty for the first one
     * @param container the container holding the objects, created when missing
     */
    public record Swift(String authUrl, String user, String key, String password, String project, String domain,
            String region, String container) {
        /** No credentials, domain {@code Default}, container {@code berth}. */
        public static Swift defaults() {
            return new Swift("", "", "", "", "", "Default", "", "berth");
        }

        /** True when the auth URL names Keystone's v3 API rather than tempauth. */
        public boolean keystone() {
            return authUrl.replaceAll("/+$", "").endsWith("/v3");
        }
    }

    /** Backends Berth can store objects in. */
    public enum StorageDriver { FILESYSTEM, S3, SWIFT, MEMORY }

    /** Size limits. */
    public record Limits(long manifestSize) {}

    /** Validation policies. */
    public record Validation(SparseIndexPolicy sparseIndex) {}

    /** Whether an index may name child manifests that are absent from the repository. */
    public enum SparseIndexPolicy { REJECT, ALLOW }

    /** Whether DELETE requests are served. */
    public record Delete(boolean enabled) {}

    /** The defaults: filesystem storage in {@code ./data}, served on {@code localhost:5000}. */
    public static BerthConfig defaults() {
        return new BerthConfig("localhost:5000", "",
                new Storage(StorageDriver.FILESYSTEM, new Filesystem(Path.of("./data"))),
                new Limits(4L * 1024 * 1024),
                new Validation(SparseIndexPolicy.REJECT),
                new Delete(true));
    }

    /** This configuration with another listen address. */
    public BerthConfig withListen(String address) {
        return new BerthConfig(address, publicUrl, storage, limits, validation, delete);
    }

    /** This configuration with another public URL ({@code ""}: taken from each request). */
    public BerthConfig withPublicUrl(String url) {
        return new BerthConfig(listen, url, storage, limits, validation, delete);
    }

    /** This configuration with another storage section. */
    public BerthConfig withStorage(Storage newStorage) {
        return new BerthConfig(listen, publicUrl, newStorage, limits, validation, delete);
    }

    /** This configuration with another validation section. */
    public BerthConfig withValidation(Validation newValidation) {
        return new BerthConfig(listen, publicUrl, storage, limits, newValidation, delete);
    }

    /** This configuration with another delete section. */
    public BerthConfig withDelete(Delete newDelete) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, newDelete);
    }

    /** This configuration with other limits. */
    public BerthConfig withLimits(Limits newLimits) {
        return new BerthConfig(listen, publicUrl, storage, newLimits, validation, delete);
    }
}
