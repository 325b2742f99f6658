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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/** Wraps a store to count the bytes read from it by key prefix, and optionally to tamper with what it stores. */
final class ReadCountingStore implements ObjectStore {
    private final ObjectStore delegate;
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile UnaryOperator<ObjectInfo> putReport = UnaryOperator.identity();

    ReadCountingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** Bytes read through {@link #get} so far. */
    long bytesRead() {
        return bytesRead.get();
    }

    /** Makes the store misreport what each put stored, as a corrupting backend would. */
    void misreportPuts(UnaryOperator<ObjectInfo> report) {
        this.putReport = report;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return new FilterInputStream(delegate.get(key, offset, length)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }
        };
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return putReport.apply(delegate.put(key, data, condition));
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
