package dev.berth.observe;

import dev.berth.observe.StoreMetrics.Operation;
import dev.berth.storage.InvalidKeyException;
import dev.berth.storage.KeyPage;
import dev.berth.storage.ListPage;
import dev.berth.storage.ObjectInfo;
import dev.berth.storage.ObjectNotFoundException;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PreconditionFailedException;
import dev.berth.storage.PutCondition;
import dev.berth.storage.RangeNotSatisfiableException;
import dev.berth.storage.StorageException;
import dev.berth.storage.StoreCapabilities;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Times every call to the wrapped backend and counts the calls the backend failed. A missing object, a conditional
 * put that lost and a range outside the object are answers, not failures, and are not counted as errors. A get is
 * timed until the object is open: reading it is the caller's streaming, measured with the request.
 */
public final class MeteredStore implements ObjectStore {
    private final ObjectStore delegate;
    private final StoreMetrics.Backend metrics;

    /** Measures {@code delegate} into {@code metrics} under the backend's own name. */
    public MeteredStore(ObjectStore delegate, StoreMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = metrics.backend(delegate.capabilities().name());
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return timed(Operation.STAT, () -> delegate.stat(key));
    }

    /** Counted as a stat: on the filesystem it is one. */
    @Override
    public Optional<String> version(String key) {
        return timed(Operation.STAT, () -> delegate.version(key));
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return timed(Operation.GET, () -> delegate.get(key, offset, length));
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return timed(Operation.PUT, () -> delegate.put(key, data, condition));
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        return timed(Operation.PUT, () -> delegate.put(key, data, length, condition));
    }

    @Override
    public ObjectInfo put(String key, byte[] data, PutCondition condition) {
        return timed(Operation.PUT, () -> delegate.put(key, data, condition));
    }

    @Override
    public byte[] read(String key) {
        return timed(Operation.GET, () -> delegate.read(key));
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        return timed(Operation.LIST, () -> delegate.list(prefix, startAfter, limit));
    }

    @Override
    public KeyPage listKeys(String prefix, String startAfter, int limit) {
        return timed(Operation.LIST, () -> delegate.listKeys(prefix, startAfter, limit));
    }

    @Override
    public boolean delete(String key) {
        return timed(Operation.DELETE, () -> delegate.delete(key));
    }

    @Override
    public ObjectInfo move(String from, String to) {
        return timed(Operation.MOVE, () -> delegate.move(from, to));
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        return timed(Operation.CONCATENATE, () -> delegate.concatenate(sources, target));
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    private <T> T timed(Operation operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (StorageException e) {
            if (isBackendFailure(e)) {
                metrics.failed(operation);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            metrics.failed(operation);
            throw e;
        } finally {
            metrics.took(operation, System.nanoTime() - start);
        }
    }

    /** Whether {@code e} says the backend failed, rather than answering that a key is absent or a condition lost. */
    private static boolean isBackendFailure(StorageException e) {
        return !(e instanceof ObjectNotFoundException || e instanceof PreconditionFailedException
                || e instanceof RangeNotSatisfiableException || e instanceof InvalidKeyException);
    }

    @Override
    public String toString() {
        return "metered(" + delegate + ")";
    }
}
