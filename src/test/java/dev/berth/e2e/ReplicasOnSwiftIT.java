package dev.berth.e2e;

/** Three Berth replicas on one OpenStack Swift container behind nginx round-robin act as one registry. */
class ReplicasOnSwiftIT extends ReplicasBehindBalancerTests {
    @Override
    SharedStore store() {
        return SharedStore.swift();
    }
}
