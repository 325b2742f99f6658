package dev.berth.lifecycle;

import dev.berth.storage.ListPage;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StoreCapabilities;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a real backend and reports each object's last write as the time a test clock showed when it was written.
 * Backends stamp objects with the wall clock, too coarsely on some filesystems to order pushes made a moment
 * apart; this lets a test push one tag "days" after another without sleeping, while the real backend stores and
 * lists everything.
 */
final class StampedStore implements ObjectStore {
    private final ObjectStore delegate;
    private final Clock clock;
    private final Map<String, Instant> written = new ConcurrentHashMap<>();

    StampedStore(ObjectStore delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key).map(this::stamped);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return delegate.get(key, offset, length);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return stamp(delegate.put(key, data, condition));
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        return stamp(delegate.put(key, data, length, condition));
    }

    @Override
    public ObjectInfo put(String key, byte[] data, PutCondition condition) {
        return stamp(delegate.put(key, data, condition));
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        ListPage page = delegate.list(prefix, startAfter, limit);
        return new ListPage(page.entries().stream().map(this::stamped).toList(), page.nextStartAfter());
    }

    @Override
    public boolean delete(String key) {
        written.remove(key);
        return delegate.delete(key);
    }

    @Override
    public ObjectInfo move(String from, String to) {
        ObjectInfo moved = delegate.move(from, to);
        written.remove(from);
        return stamp(moved);
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        return stamp(delegate.concatenate(sources, target));
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    private ObjectInfo stamp(ObjectInfo info) {
        written.put(info.key(), clock.instant());
        return stamped(info);
    }

    private ObjectInfo stamped(ObjectInfo info) {
        Instant at = written.get(info.key());
        return at == null ? info
                : new ObjectInfo(info.key(), info.size(), info.etag(), at, info.crc32c());
    }

    @Override
    public String toString() {
        return "stamped " + delegate;
    }
}
