package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore createStore() {
        return new CheckedStore(new MemoryStore());
    }

    @Test
    void capabilitiesAreMemoryAndAtomic() {
        assertThat(store.capabilities()).isEqualTo(new StoreCapabilities("memory", true));
    }

    @Test
    void theStoreKeepsNoCopyOfTheCallersArray() {
        byte[] data = {1, 2, 3};
        store.put("ns/array", data, PutCondition.always());
        data[0] = 9;

        assertThat(store.read("ns/array")).containsExactly(1, 2, 3);
    }
}
