package dev.berth.storage;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the SDK client an {@link S3Store} talks through. */
final class S3Clients {
    private S3Clients() {}

    static S3Client create(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // Berth computes and sends its own checksums; the SDK's defaults (CRC32 on every request, as
                // aws-chunked trailers) break s3proxy and Swift's s3api.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .putAuthScheme(new UnsignedPayloadAuthScheme())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(64))
                // Standard mode retries throttling, 5xx and I/O failures with backoff; never a 404 or a 412. Six
                // attempts instead of its three: an S3 server's 500 "try again" under concurrent writes to one prefix
                // outlasts three quick tries (seen with s3proxy), and a failed push costs more than a slow one.
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(6)));
        if (!settings.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        if (settings.accessKey().isEmpty()) {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        } else {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
        }
        return builder.build();
    }
}
