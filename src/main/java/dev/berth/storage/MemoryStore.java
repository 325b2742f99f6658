package dev.berth.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * An in-process store for tests and single-process trials: objects live in a sorted concurrent map, every write
 * replaces an immutable entry in one step, and conditional puts are compare-and-set operations on the map.
 */
public final class MemoryStore implements ObjectStore {
    private static final StoreCapabilities CAPABILITIES = new StoreCapabilities("memory", true);

    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();
    /** Every write takes the next generation, so an etag never repeats within this store. */
    private final AtomicLong generations = new AtomicLong();

    /** One stored version; the array is never handed out or modified after construction. */
    private record Entry(byte[] data, ObjectInfo info) {}

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Entry entry = objects.get(Objects.requireNonNull(key, "key"));
        return entry == null ? Optional.empty() : Optional.of(entry.info());
    }

    /** The object's etag, which changes with every write: memory has no clock granularity to worry about. */
    @Override
    public Optional<String> version(String key) {
        return stat(key).map(ObjectInfo::etag);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        Entry entry = existing(key);
        long size = entry.data().length;
        if (offset < 0 || offset > size || (length >= 0 && length > size - offset)) {
            throw new RangeNotSatisfiableException(key, offset, length, size);
        }
        int count = (int) (length < 0 ? size - offset : length);
        return new ByteArrayInputStream(entry.data(), (int) offset, count);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        Objects.requireNonNull(key, "key");
        byte[] bytes;
        try {
            bytes = data.readAllBytes();
        } catch (IOException e) {
            throw ObjectStore.failure("reading the data for " + key, e);
        }
        return publish(key, bytes, condition);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, PutCondition condition) {
        return publish(Objects.requireNonNull(key, "key"), data.clone(), condition);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        String from = prefix == null ? "" : prefix;
        boolean afterStart = startAfter != null && startAfter.compareTo(from) >= 0;
        ConcurrentNavigableMap<String, Entry> tail =
                afterStart ? objects.tailMap(startAfter, false) : objects.tailMap(from, true);
        List<ObjectInfo> entries = new ArrayList<>();
        for (Map.Entry<String, Entry> e : tail.entrySet()) {
            if (!e.getKey().startsWith(from)) {
                break; // keys sharing the prefix are contiguous in sorted order
            }
            if (entries.size() == limit) {
                return new ListPage(entries, entries.getLast().key());
            }
            entries.add(e.getValue().info());
        }
        return new ListPage(entries, null);
    }

    @Override
    public boolean delete(String key) {
        return objects.remove(Objects.requireNonNull(key, "key")) != null;
    }

    @Override
    public ObjectInfo move(String from, String to) {
        Objects.requireNonNull(to, "to");
        while (true) {
            Entry source = existing(from);
            if (from.equals(to)) {
                return source.info();
            }
            // Claiming the exact version first means two concurrent moves of one object cannot both succeed.
            if (objects.remove(from, source)) {
                Entry moved = entry(to, source.data());
                objects.put(to, moved);
                return moved.info();
            }
        }
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        Objects.requireNonNull(target, "target");
        List<byte[]> parts = new ArrayList<>(sources.size());
        long total = 0;
        for (String source : sources) {
            byte[] part = existing(source).data();
            parts.add(part);
            total += part.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new StorageException("concatenation of " + total + " bytes is too large for the memory store");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
        parts.forEach(out::writeBytes);
        return publish(target, out.toByteArray(), PutCondition.always());
    }

    @Override
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String toString() {
        return "memory";
    }

    private Entry existing(String key) {
        Entry entry = objects.get(Objects.requireNonNull(key, "key"));
        if (entry == null) {
            throw new ObjectNotFoundException(key);
        }
        return entry;
    }

    private ObjectInfo publish(String key, byte[] bytes, PutCondition condition) {
        Entry fresh = entry(key, bytes);
        switch (condition) {
            case PutCondition.Always always -> objects.put(key, fresh);
            case PutCondition.IfAbsent ifAbsent -> {
                if (objects.putIfAbsent(key, fresh) != null) {
                    throw new PreconditionFailedException(key, condition);
                }
            }
            case PutCondition.IfMatch ifMatch -> {
                Entry current = objects.get(key);
                if (current == null
                        || !current.info().etag().equals(ifMatch.etag())
                        || !objects.replace(key, current, fresh)) {
                    throw new PreconditionFailedException(key, condition);
                }
            }
        }
        return fresh.info();
    }

    private Entry entry(String key, byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        String etag = "m" + Long.toHexString(generations.incrementAndGet());
        ObjectInfo info = new ObjectInfo(key, bytes.length, etag, Instant.now(), Crc32cs.hex(crc.getValue()));
        return new Entry(bytes, info);
    }
}
