package dev.berth.lifecycle;

import dev.berth.storage.ObjectStore;
import dev.berth.storage.RealBackends;

/** Expiry and retention on a real Swift container (scripts/storage-servers). */
class ExpiryOnSwiftTest extends ExpiryContract {
    @Override
    ObjectStore backend() {
        return RealBackends.swift();
    }
}
