package dev.berth.e2e;

/** Three Berth replicas on one S3 bucket (s3proxy) behind nginx round-robin act as one registry. */
class ReplicasOnS3IT extends ReplicasBehindBalancerTests {
    @Override
    SharedStore store() {
        return SharedStore.s3OnS3proxy();
    }
}
