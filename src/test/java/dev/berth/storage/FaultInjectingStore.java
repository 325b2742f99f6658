package dev.berth.storage;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decorator that makes any backend misbehave on purpose, for tests: a list of rules, each an operation, a key
 * pattern, an action and how many more times it fires. The first live rule that matches a call takes it; calls
 * that no rule matches go to the wrapped store untouched.
 *
 * <p>A rule matches the key a call addresses; for {@link Op#MOVE} and {@link Op#CONCATENATE} that is the target,
 * the key being written. The faults act like a real broken backend would: a corrupted or truncated put stores the
 * wrong bytes and then honestly reports its size and CRC32C of what it stored, so Berth has to catch it by
 * comparing with its own checksum.
 *
 * <pre>{@code
 * FaultInjectingStore faults = new FaultInjectingStore(new MemoryStore());
 * Rule rule = faults.once(Op.PUT, "/chunk-000002$", Action.corruptPut(100));
 * ... push ...
 * assertThat(rule.fired()).isEqualTo(1);
 * }</pre>
 */
public final class FaultInjectingStore implements ObjectStore {
    private static final Logger log = LoggerFactory.getLogger(FaultInjectingStore.class);

    /** The store operations a rule can target. */
    public enum Op { STAT, GET, PUT, LIST, DELETE, MOVE, CONCATENATE }

    private final ObjectStore delegate;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    public FaultInjectingStore(ObjectStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store underneath, to inspect or prepare state without any fault firing. */
    public ObjectStore delegate() {
        return delegate;
    }

    /** Adds a rule that fires the first {@code times} calls of {@code op} on a key where {@code keyRegex} is found. */
    public Rule inject(Op op, String keyRegex, Action action, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        Rule rule = new Rule(op, keyRegex, Pattern.compile(keyRegex).asPredicate(), action, times);
        rules.add(rule);
        return rule;
    }

    /** A rule that fires once. */
    public Rule once(Op op, String keyRegex, Action action) {
        return inject(op, keyRegex, action, 1);
    }

    /** A rule that fires on every matching call until {@link #clear()}. */
    public Rule always(Op op, String keyRegex, Action action) {
        return inject(op, keyRegex, action, Integer.MAX_VALUE);
    }

    /** Removes every rule, releasing calls stalled by a {@link Action#timeout} so they fail now. */
    public void clear() {
        rules.forEach(rule -> {
            if (rule.action instanceof Timeout timeout) {
                timeout.release();
            }
        });
        rules.clear();
    }

    /** One programmed fault; {@link #fired()} tells whether the test really exercised it. */
    public static final class Rule {
        private final Op op;
        private final String pattern;
        private final Predicate<String> key;
        private final Action action;
        private final AtomicInteger remaining;
        private final AtomicInteger fired = new AtomicInteger();

        private Rule(Op op, String pattern, Predicate<String> key, Action action, int times) {
            this.op = op;
            this.pattern = pattern;
            this.key = key;
            this.action = action;
            this.remaining = new AtomicInteger(times);
        }

        /** How many calls this rule has taken so far. */
        public int fired() {
            return fired.get();
        }

        /** Takes the call when it matches and the rule has firings left. */
        private boolean take(Op calledOp, String calledKey) {
            if (calledOp != op || !key.test(calledKey)) {
                return false;
            }
            int left;
            do {
                left = remaining.get();
                if (left == 0) {
                    return false;
                }
            } while (!remaining.compareAndSet(left, left == Integer.MAX_VALUE ? left : left - 1));
            fired.incrementAndGet();
            return true;
        }

        @Override
        public String toString() {
            return op + " ~ " + pattern + ": " + action;
        }
    }

    /** What a rule does to the call it takes. */
    public sealed interface Action {
        /** Throws a {@link StorageException} without touching the backend, as an unavailable backend would. */
        static Action fail() {
            return new Fail(false);
        }

        /** Performs the call, then throws as if it had failed: the caller cannot tell what took effect. */
        static Action failAfterApplying() {
            return new Fail(true);
        }

        /**
         * Stalls the call for up to {@code limit} (or until the rule is cleared), then throws a timeout without
         * touching the backend, as a backend that stops answering does behind a client-side timeout.
         */
        static Action timeout(Duration limit) {
            return new Timeout(limit, new CountDownLatch(1));
        }

        /** Put: flips byte {@code at} (from 0) while streaming, so the backend stores and reports wrong content. */
        static Action corruptPut(long at) {
            return new CorruptPut(at);
        }

        /** Put: stores only the first {@code keep} bytes (still reading the whole body), and reports that. */
        static Action truncatePut(long keep) {
            return new TruncatePut(keep, true);
        }

        /**
         * Put: reads and stores only the first {@code keep} bytes, leaving the rest of the body unread, as a backend
         * that believes the object ends there would; it reports what it stored.
         */
        static Action stopReadingPut(long keep) {
            return new TruncatePut(keep, false);
        }

        /** Put, stat, move, concatenate: reports metadata rewritten by {@code report} instead of the real one. */
        static Action misreport(UnaryOperator<ObjectInfo> report) {
            return new Misreport(report);
        }

        /** Reports a CRC32C that matches no content Berth sent. */
        static Action wrongCrc32c() {
            return misreport(info -> new ObjectInfo(info.key(), info.size(), info.etag(), info.lastModified(),
                    "00000000".equals(info.crc32c()) ? "00000001" : "00000000"));
        }

        /** Reports an etag the object does not carry. */
        static Action wrongEtag() {
            return misreport(info -> new ObjectInfo(info.key(), info.size(), "bogus-" + info.etag(),
                    info.lastModified(), info.crc32c()));
        }

        /** Reports one byte more than was stored. */
        static Action wrongSize() {
            return misreport(info -> new ObjectInfo(info.key(), info.size() + 1, info.etag(), info.lastModified(),
                    info.crc32c()));
        }

        /** Move, concatenate: performs the call and reports success, but the target is not there afterwards. */
        static Action loseTarget() {
            return new LoseTarget();
        }

        /** Move, concatenate: the target ends up with one byte flipped; the backend reports what it holds. */
        static Action corruptTarget() {
            return new CorruptTarget();
        }

        /** Get: the stream fails with an {@link IOException} after {@code after} bytes. */
        static Action failGetAfter(long after) {
            return new FailGet(after);
        }

        /** Get: the stream ends cleanly after {@code after} bytes, short of what was asked for. */
        static Action truncateGet(long after) {
            return new TruncateGet(after);
        }
    }

    record Fail(boolean afterApplying) implements Action {}

    record Timeout(Duration limit, CountDownLatch released) implements Action {
        void release() {
            released.countDown();
        }

        StorageException stall(Op op, String key) {
            try {
                released.await(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StorageException("injected fault: " + op + " " + key + " timed out after " + limit);
        }
    }

    record CorruptPut(long at) implements Action {}

    record TruncatePut(long keep, boolean readsRest) implements Action {}

    record Misreport(UnaryOperator<ObjectInfo> report) implements Action {}

    record LoseTarget() implements Action {}

    record CorruptTarget() implements Action {}

    record FailGet(long after) implements Action {}

    record TruncateGet(long after) implements Action {}

    // ---- the operations

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Action action = take(Op.STAT, key);
        return switch (action) {
            case null -> delegate.stat(key);
            case Fail f -> applyThenFail(f, Op.STAT, key, () -> delegate.stat(key));
            case Timeout t -> throw t.stall(Op.STAT, key);
            case Misreport m -> delegate.stat(key).map(m.report());
            default -> throw unsupported(action, Op.STAT);
        };
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        Action action = take(Op.GET, key);
        return switch (action) {
            case null -> delegate.get(key, offset, length);
            case Fail f -> applyThenFail(f, Op.GET, key, () -> delegate.get(key, offset, length));
            case Timeout t -> throw t.stall(Op.GET, key);
            case FailGet g -> new Limited(delegate.get(key, offset, length), g.after(), true);
            case TruncateGet g -> new Limited(delegate.get(key, offset, length), g.after(), false);
            default -> throw unsupported(action, Op.GET);
        };
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutCondition condition) {
        return put(key, data, -1, condition);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, PutCondition condition) {
        return put(key, new ByteArrayInputStream(data), data.length, condition);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long length, PutCondition condition) {
        Action action = take(Op.PUT, key);
        return switch (action) {
            case null -> delegate.put(key, data, length, condition);
            case Fail f -> applyThenFail(f, Op.PUT, key, () -> delegate.put(key, data, length, condition));
            case Timeout t -> throw t.stall(Op.PUT, key);
            case CorruptPut c -> delegate.put(key, new Flipping(data, c.at()), length, condition);
            // The backend stores fewer bytes than it read, so it is told no length that it could hold that against.
            case TruncatePut t -> delegate.put(key, new Truncating(data, t.keep(), t.readsRest()), -1, condition);
            case Misreport m -> m.report().apply(delegate.put(key, data, length, condition));
            default -> throw unsupported(action, Op.PUT);
        };
    }

    @Override
    public ListPage list(String prefix, String startAfter, int limit) {
        Action action = take(Op.LIST, prefix);
        return switch (action) {
            case null -> delegate.list(prefix, startAfter, limit);
            case Fail f -> applyThenFail(f, Op.LIST, prefix, () -> delegate.list(prefix, startAfter, limit));
            case Timeout t -> throw t.stall(Op.LIST, prefix);
            default -> throw unsupported(action, Op.LIST);
        };
    }

    @Override
    public boolean delete(String key) {
        Action action = take(Op.DELETE, key);
        return switch (action) {
            case null -> delegate.delete(key);
            case Fail f -> applyThenFail(f, Op.DELETE, key, () -> delegate.delete(key));
            case Timeout t -> throw t.stall(Op.DELETE, key);
            default -> throw unsupported(action, Op.DELETE);
        };
    }

    @Override
    public ObjectInfo move(String from, String to) {
        return write(Op.MOVE, to, () -> delegate.move(from, to));
    }

    @Override
    public ObjectInfo concatenate(List<String> sources, String target) {
        return write(Op.CONCATENATE, target, () -> delegate.concatenate(sources, target));
    }

    @Override
    public StoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public String toString() {
        return "faulty(" + delegate + ")";
    }

    /** Move and concatenate: both write {@code target} from objects already in the store. */
    private ObjectInfo write(Op op, String target, Supplier<ObjectInfo> call) {
        Action action = take(op, target);
        return switch (action) {
            case null -> call.get();
            case Fail f -> applyThenFail(f, op, target, call);
            case Timeout t -> throw t.stall(op, target);
            case Misreport m -> m.report().apply(call.get());
            case LoseTarget l -> {
                ObjectInfo reported = call.get();
                delegate.delete(target);
                yield reported;
            }
            case CorruptTarget c -> {
                call.get();
                byte[] content = delegate.read(target);
                if (content.length == 0) {
                    throw new IllegalStateException("cannot corrupt the empty object " + target);
                }
                content[content.length / 2] ^= 0x01;
                yield delegate.put(target, content, PutCondition.always());
            }
            default -> throw unsupported(action, op);
        };
    }

    private Action take(Op op, String key) {
        for (Rule rule : rules) {
            if (rule.take(op, key)) {
                log.warn("injecting fault {} into {} {}", rule.action, op, key);
                return rule.action;
            }
        }
        return null;
    }

    private static <T> T applyThenFail(Fail fail, Op op, String key, Supplier<T> call) {
        if (fail.afterApplying()) {
            call.get();
        }
        throw new StorageException("injected fault: " + op + " " + key + " failed"
                + (fail.afterApplying() ? " after it took effect" : ""));
    }

    private static IllegalStateException unsupported(Action action, Op op) {
        return new IllegalStateException("fault " + action + " does not apply to " + op);
    }

    /** Flips one bit of the byte at a position as it streams past. */
    private static final class Flipping extends FilterInputStream {
        private final long at;
        private long position;

        Flipping(InputStream in, long at) {
            super(in);
            this.at = at;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && at >= position && at < position + n) {
                b[off + (int) (at - position)] ^= 0x01;
            }
            position += Math.max(n, 0);
            return n;
        }
    }

    /** Passes the first bytes through, then ends, after reading and dropping the rest when asked to. */
    private static final class Truncating extends FilterInputStream {
        private final boolean readsRest;
        private long left;

        Truncating(InputStream in, long keep, boolean readsRest) {
            super(in);
            this.left = keep;
            this.readsRest = readsRest;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                if (readsRest) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** Serves only the first bytes of a stream, then either fails or ends as if the object were that short. */
    private static final class Limited extends FilterInputStream {
        private final boolean fail;
        private long left;

        Limited(InputStream in, long after, boolean fail) {
            super(in);
            this.left = after;
            this.fail = fail;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                if (fail) {
                    throw new IOException("injected fault: the backend connection broke mid-stream");
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, Math.max(left, 0)));
            left -= skipped;
            return skipped;
        }
    }
}
