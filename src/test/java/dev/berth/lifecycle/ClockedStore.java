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
 * A store whose objects carry the time of a test clock as their {@code lastModified}, so tests can age content
 * by moving the clock. A move keeps the source's time, as a filesystem rename does (the harder case for GC).
 */
final class ClockedStore implements ObjectStore {
    private final ObjectStore delegate;
    private final Clock clock;
    private final boolean atomicConditionalPut;
    private final Map<String, Instant> written = new ConcurrentHashMap<>();

    ClockedStore(ObjectStore delegate, Clock clock) {
        this(delegate, clock, delegate.capabilities().atomicConditionalPut());
    }

    /** {@code atomicConditionalPut}: what to report, to stand in for a backend without atomic conditional puts. */
    ClockedStore(ObjectStore delegate, Clock clock, boolean atomicConditionalPut) {
        this.delegate = delegate;
        this.clock = clock;
        this.atomicConditionalPut = atomicConditionalPut;
    }

    private ObjectInfo timed(ObjectInfo info) {
        Instant t = written.get(info.key());
        return t == null ? info : new ObjectInfo(info.key(), info.size(), info.etag(), t, info.crc32c());
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key).map(this::timed);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return delegate.get(key, offset, length);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        ObjectInfo info = delegate.put(key, data, condition);
        written.put(key, clock.instant());
        return timed(info);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        ObjectInfo info = delegate.put(key, data, length, condition);
        written.put(key, clock.instant());
        return timed(info);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        ListPage page = delegate.list(prefix, startAfter, limit);
        return new ListPage(page.entries().stream().map(this::timed).toList(), page.nextStartAfter());
    }

    @Override
    public boolean delete(String key) {
        boolean deleted = delegate.delete(key);
        written.remove(key);
        return deleted;
    }

    @Override
    public ObjectInfo move(String from, String to) {
        Instant t = written.get(from);
        ObjectInfo info = delegate.move(from, to);
        written.put(to, t != null ? t : clock.instant());
        written.remove(from);
        return timed(info);
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        ObjectInfo info = delegate.concatenate(sources, target);
        written.put(target, clock.instant());
        return timed(info);
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(delegate.capabilities().name() + "+clocked", atomicConditionalPut);
    }
}
