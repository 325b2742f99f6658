package dev.berth.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates every key and prefix with {@link ObjectKeys} before a call reaches the wrapped backend, so no backend
 * ever sees a key outside the grammar and a refused call touches nothing.
 */
public final class CheckedStore implements ObjectStore {
    private final ObjectStore delegate;

    public CheckedStore(ObjectStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Wraps {@code store} unless it already is a {@code CheckedStore}. */
    public static ObjectStore of(ObjectStore store) {
        return store instanceof CheckedStore ? store : new CheckedStore(store);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(ObjectKeys.check(key));
    }

    @Override
    public Optional<String> version(String key) {
        return delegate.version(ObjectKeys.check(key));
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return delegate.get(ObjectKeys.check(key), offset, length);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        ObjectKeys.check(key);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(condition, "condition");
        return delegate.put(key, data, condition);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        ObjectKeys.check(key);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(condition, "condition");
        return delegate.put(key, data, length, condition);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, PutCondition condition) {
        ObjectKeys.check(key);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(condition, "condition");
        return delegate.put(key, data, condition);
    }

    /**
     * {@code startAfter} is not checked as a key: it is only a position in key order, which callers may place
     * between keys, and no backend addresses storage with it.
     */
    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return delegate.list(ObjectKeys.checkPrefix(prefix), startAfter, limit);
    }

    @Override
    public boolean delete(String key) {
        return delegate.delete(ObjectKeys.check(key));
    }

    @Override
    public ObjectInfo move(String from, String to) {
        ObjectKeys.check(from);
        ObjectKeys.check(to);
        return delegate.move(from, to);
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        List<String> checked = List.copyOf(sources); // also refuses null elements
        checked.forEach(ObjectKeys::check);
        ObjectKeys.check(target);
        return delegate.concatenate(checked, target);
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public String toString() {
        return "checked(" + delegate + ")";
    }
}
