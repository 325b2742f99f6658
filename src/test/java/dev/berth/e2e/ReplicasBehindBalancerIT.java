package dev.berth.e2e;

/**
 * Three Berth replicas on one filesystem directory behind nginx round-robin act as one registry; the S3 and
 * Swift variants are the same tests with another {@link SharedStore}.
 */
class ReplicasBehindBalancerIT extends ReplicasBehindBalancerTests {
    @Override
    SharedStore store() {
        return SharedStore.filesystem();
    }
}
