package dev.berth.lifecycle;

import dev.berth.storage.ListPage;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PutCondition;
import dev.berth.storage.StoreCapabilities;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** A store that runs a hook once, just before a matching move or delete: a request racing the collector. */
final class HookedStore implements ObjectStore {
    private final ObjectStore delegate;
    private final AtomicReference<Hook> hook = new AtomicReference<>();

    private record Hook(String op, Predicate<String> key, Runnable action) {}

    HookedStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code action} once, before the first {@code op} ("move" target or "delete") of a matching key. */
    void before(String op, Predicate<String> key, Runnable action) {
        hook.set(new Hook(op, key, action));
    }

    boolean fired() {
        return hook.get() == null;
    }

    private void fire(String op, String key) {
        Hook h = hook.get();
        if (h != null && h.op().equals(op) && h.key().test(key) && hook.compareAndSet(h, null)) {
            h.action().run();
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return delegate.get(key, offset, length);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return delegate.put(key, data, condition);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        return delegate.put(key, data, length, condition);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public boolean delete(String key) {
        fire("delete", key);
        return delegate.delete(key);
    }

    @Override
    public ObjectInfo move(String from, String to) {
        fire("move", to);
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
