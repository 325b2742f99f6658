package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.storage.FaultInjectingStore.Action;
import dev.berth.storage.FaultInjectingStore.Op;
import dev.berth.storage.FaultInjectingStore.Rule;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Without rules the decorator is the store it wraps (the whole contract holds); a rule fires as often as asked. */
class FaultInjectingStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore createStore() {
        return new CheckedStore(new FaultInjectingStore(new MemoryStore()));
    }

    @Test
    void ruleFiresTheNumberOfTimesAskedOnMatchingKeysOnly() {
        FaultInjectingStore faults = new FaultInjectingStore(new MemoryStore());
        Rule rule = faults.inject(Op.PUT, "/broken$", Action.fail(), 2);

        faults.put("ns/fine", new byte[] {1}, PutCondition.always());
        assertThatThrownBy(() -> faults.put("ns/broken", new byte[] {1}, PutCondition.always()))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> faults.put("ns/broken", new byte[] {1}, PutCondition.always()))
                .isInstanceOf(StorageException.class);
        faults.put("ns/broken", new byte[] {1}, PutCondition.always());

        assertThat(rule.fired()).isEqualTo(2);
        assertThat(faults.delegate().read("ns/broken")).containsExactly(1);
    }

    @Test
    void corruptedPutIsReportedHonestlyByTheBackend() throws Exception {
        FaultInjectingStore faults = new FaultInjectingStore(new MemoryStore());
        faults.once(Op.PUT, "ns/x", Action.corruptPut(1));

        ObjectInfo reported = faults.put("ns/x", new byte[] {0, 0, 0}, PutCondition.always());

        assertThat(faults.read("ns/x")).containsExactly(0, 1, 0);
        assertThat(reported).isEqualTo(faults.stat("ns/x").orElseThrow());
        try (InputStream in = faults.get("ns/x", 0, -1)) {
            assertThat(in.readAllBytes()).containsExactly(0, 1, 0);
        }
    }
}
