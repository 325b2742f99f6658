package dev.berth.storage;

import java.util.Objects;

/**
 * Where an {@link S3Store} keeps its objects and how it signs in.
 *
 * @param endpoint the service URL; empty for AWS's own endpoint of the region
 * @param region the signing region
 * @param bucket the bucket holding the objects, created when missing
 * @param prefix prepended to every key, so several registries can share one bucket; may be empty
 * @param accessKey the access key id; empty to use the AWS SDK's default credential chain
 * @param secretKey the secret access key
 * @param pathStyle true to address the bucket in the path rather than the host name
 */
public record S3Settings(String endpoint, String region, String bucket, String prefix, String accessKey,
        String secretKey, boolean pathStyle) {
    public S3Settings {
        endpoint = Objects.requireNonNullElse(endpoint, "");
        region = Objects.requireNonNullElse(region, "").isEmpty() ? "us-east-1" : region;
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("the S3 bucket must be named");
        }
        prefix = Objects.requireNonNullElse(prefix, "");
        accessKey = Objects.requireNonNullElse(accessKey, "");
        secretKey = Objects.requireNonNullElse(secretKey, "");
    }

    /** These settings with another key prefix. */
    public S3Settings withPrefix(String newPrefix) {
        return new S3Settings(endpoint, region, bucket, newPrefix, accessKey, secretKey, pathStyle);
    }

    /** These settings with another bucket. */
    public S3Settings withBucket(String newBucket) {
        return new S3Settings(endpoint, region, newBucket, prefix, accessKey, secretKey, pathStyle);
    }

    @Override
    public String toString() {
        // The secret stays out of logs.
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKey=" + accessKey + ", pathStyle=" + pathStyle + "]";
    }
}
