package dev.berth.lifecycle;

import dev.berth.storage.ObjectStore;
import dev.berth.storage.RealBackends;

/** Expiry and retention on a real S3 bucket (s3proxy, scripts/storage-servers). */
class ExpiryOnS3Test extends ExpiryContract {
    @Override
    ObjectStore backend() {
        return RealBackends.s3proxy();
    }
}
