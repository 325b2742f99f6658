package dev.berth.lifecycle;

import dev.berth.storage.MemoryStore;
import dev.berth.storage.ObjectStore;

class ExpiryOnMemoryTest extends ExpiryContract {
    @Override
    ObjectStore backend() {
        return new MemoryStore();
    }
}
