package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The S3 backend against s3proxy 4.1.0 on its filesystem provider. */
class S3StoreS3ProxyTest extends S3StoreTestSupport {
    @Override
    protected String server() {
        return "s3proxy";
    }

    @Override
    protected String defaultEndpoint() {
        return "http://127.0.0.1:19000";
    }

    @Override
    protected String defaultAccessKey() {
        return "local-identity";
    }

    @Override
    protected String defaultSecretKey() {
        return "local-credential";
    }

    @Test
    void s3proxyVerifiesCrc32cHeaders() {
        S3Features features = open(S3Limits.defaults()).features();

        assertThat(features.crc32cHeader()).isTrue();
        assertThat(features.crc32cTrailer()).isFalse();
        assertThat(features.copySourceIfMatch()).isTrue();
    }
}
