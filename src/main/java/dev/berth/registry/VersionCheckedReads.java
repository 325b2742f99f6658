package dev.berth.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads of small, often-read objects (tags, revision links) that cost one {@link ObjectStore#version} while the
 * object is unchanged: the parsed value is remembered with the version it was read under, and used again only while
 * the store reports the same version. Every read therefore sees every write completed before it, from any replica,
 * as a plain read would. On stores without versions every read is a plain read.
 *
 * @param <T> what the bytes are parsed into
 */
final class VersionCheckedReads<T> {
    private final ObjectStore store;
    private final Function<byte[], T> parse;
    private final Cache<String, Entry<T>> entries;

    private record Entry<T>(String version, T value) {}

    VersionCheckedReads(ObjectStore store, Function<byte[], T> parse, long maxEntries) {
        this.store = store;
        this.parse = parse;
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /** The parsed object at {@code key}, or empty when there is none. */
    Optional<T> read(String key) {
        Optional<String> before = store.version(key);
        if (before.isEmpty()) {
            return readDirect(key);
        }
        Entry<T> known = entries.getIfPresent(key);
        if (known != null && known.version().equals(before.get())) {
            return Optional.of(known.value());
        }
        Optional<T> value = readDirect(key);
        // Remembered only when the version is the same after the read: the bytes read then belong to it.
        if (value.isPresent() && store.version(key).equals(before)) {
            entries.put(key, new Entry<>(before.get(), value.get()));
        }
        return value;
    }

    private Optional<T> readDirect(String key) {
        try {
            return Optional.of(parse.apply(store.read(key)));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }
}
