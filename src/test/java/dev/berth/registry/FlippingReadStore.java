package dev.berth.registry;

import dev.berth.storage.ListPage;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StoreCapabilities;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a store so that the next reads of keys ending in a suffix return one byte flipped, as a flaky link between
 * Berth and its backend would, while the stored object stays intact.
 */
final class FlippingReadStore implements ObjectStore {
    private final ObjectStore delegate;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile String suffix = "";

    FlippingReadStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** Flips the first byte of the next {@code times} reads of a key ending in {@code keySuffix}. */
    void flipNextReads(String keySuffix, int times) {
        suffix = keySuffix;
        remaining.set(times);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        InputStream in = delegate.get(key, offset, length);
        if (!key.endsWith(suffix) || remaining.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            return in;
        }
        return new FilterInputStream(in) {
            private boolean flipped;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && !flipped) {
                    b[off] ^= 0x01;
                    flipped = true;
                }
                return n;
            }
        };
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return delegate.put(key, data, condition);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public boolean delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public ObjectInfo move(String from, String to) {
        return delegate.move(from, to);
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        return delegate.concatenate(sources, target);
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }
}
