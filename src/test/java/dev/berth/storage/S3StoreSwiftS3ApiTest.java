package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The S3 backend against OpenStack Swift 2.30's s3api middleware (tempauth user {@code test:tester}). */
class S3StoreSwiftS3ApiTest extends S3StoreTestSupport {
    /**
     * Swift serves overwrites with eventual consistency; under concurrent If-Match writes its s3api answered a GET
     * of the object with 404 once in a while (a contract run failed so, under load).
     */
    @Override
    protected boolean overwrittenObjectsMayVanishBriefly() {
        return true;
    }

    @Override
    protected String server() {
        return "swift";
    }

    @Override
    protected String defaultEndpoint() {
        return "http://127.0.0.1:18080";
    }

    @Override
    protected String defaultAccessKey() {
        return "test:tester";
    }

    @Override
    protected String defaultSecretKey() {
        return "testing";
    }

    /** No prefix: Swift limits object names to 1024 bytes, the longest key itself (see S3Store's Javadoc). */
    @Override
    protected String prefix() {
        return "";
    }

    @Test
    void swiftS3ApiHasNoConditionalWritesSoTheStoreSaysSo() {
        S3Store s3 = open(S3Limits.defaults());

        assertThat(s3.features().ifNoneMatch()).isFalse();
        assertThat(s3.capabilities().atomicConditionalPut()).isFalse();
    }

    @Test
    void swiftS3ApiRefusesCopySourceConditionsOnMultipartObjectsSoTheStoreChecksAfterwards() {
        assertThat(open(S3Limits.defaults()).features().copySourceIfMatch()).isFalse();
    }
}
