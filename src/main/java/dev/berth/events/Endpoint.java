package dev.berth.events;

import dev.berth.config.BerthConfig.NotificationEndpoint;
import dev.berth.config.LoggedUrls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webhook endpoint: a bounded queue of events that a thread of its own posts, a few at a time, with the JDK's
 * HTTP client, retrying with backoff until the endpoint acknowledges them. Offering never blocks: when the queue is
 * full the event is dropped and counted.
 */
final class Endpoint {
    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
    /** Events per envelope at most: what has queued up while the previous delivery ran. */
    static final int MAX_BATCH = 20;
    /** How often an idle worker looks whether it is asked to stop. */
    private static final Duration IDLE_CHECK = Duration.ofMillis(200);

    private final NotificationEndpoint config;
    private final EventFilter filter;
    private final Backoff backoff;
    private final BlockingQueue<Event> queue;
    private final HttpClient http;
    private final Clock clock;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    /** True from the first drop until an event fits again: one log line per episode of a full queue. */
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final Thread worker;
    private volatile boolean closing;
    private volatile Instant deadline = Instant.MAX;
    /** The events the worker has taken off the queue and is delivering. */
    private volatile int inFlight;

    private Endpoint(NotificationEndpoint config, Clock clock) {
        this.config = config;
        this.filter = EventFilter.of(config);
        this.backoff = new Backoff(config.threshold(), config.backoff(), config.maxBackoff());
        this.queue = new ArrayBlockingQueue<>(config.queueSize());
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.worker = Thread.ofVirtual().name("berth-events-" + config.name()).unstarted(this::run);
    }

    /** Starts delivering to the endpoint {@code config} describes. */
    static Endpoint start(NotificationEndpoint config, Clock clock) {
        Endpoint endpoint = new Endpoint(config, clock);
        endpoint.worker.start();
        log.info("events: endpoint {} ({}), timeout {}, queue {}, {} header(s)", config.name(), LoggedUrls.of(config.url()),
                config.timeout(), config.queueSize(), config.headers().size());
        return endpoint;
    }

    String name() {
        return config.name();
    }

    /** Queues {@code event} when the endpoint wants it; drops it when the queue is full. Never blocks. */
    void offer(Event event) {
        if (!filter.accepts(event)) {
            return;
        }
        if (!closing && queue.offer(event)) {
            if (overflowing.compareAndSet(true, false)) {
                log.info("events: endpoint {}: the queue has room again ({} events dropped so far)", name(),
                        dropped.get());
            }
            return;
        }
        long total = dropped.incrementAndGet();
        if (closing) {
            log.warn("events: endpoint {}: {} event for {} dropped: shutting down", name(),
                    event.action().wireName(), event.target().repository());
        } else if (overflowing.compareAndSet(false, true)) {
            log.warn("events: endpoint {}: queue full ({} events), dropping events until it drains ({} dropped so"
                    + " far)", name(), config.queueSize(), total);
        }
    }

    EndpointStats stats() {
        return new EndpointStats(name(), queue.size() + inFlight, delivered.get(), dropped.get(),
                failedAttempts.get());
    }

    /** Stops taking events; what is queued is still delivered until {@code until}. */
    void stopTaking(Instant until) {
        deadline = until;
        closing = true;
    }

    /**
     * Waits until the queue is delivered or the deadline of {@link #stopTaking} passes; what is still undelivered
     * then is abandoned (counted as dropped, and logged). Returns once the worker has stopped.
     */
    void awaitDelivered() throws InterruptedException {
        Instant until = deadline;
        long waitMillis = Math.max(0, Duration.between(clock.instant(), until).toMillis());
        if (!worker.join(Duration.ofMillis(waitMillis))) {
            worker.interrupt(); // ends a delivery or a backoff wait that would outlast the deadline
            worker.join(Duration.ofSeconds(5));
        }
        int abandoned = queue.size() + inFlight;
        queue.clear();
        if (abandoned > 0) {
            dropped.addAndGet(abandoned);
            log.warn("events: endpoint {}: {} undelivered events abandoned at shutdown", name(), abandoned);
        }
        http.shutdownNow();
    }

    private void run() {
        List<Event> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                Event first = queue.poll(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                inFlight = batch.size();
                deliver(batch);
                inFlight = 0;
                batch.clear();
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: what is left is counted there
        }
    }

    /** Posts {@code batch} until the endpoint takes it, waiting between attempts as the backoff says. */
    private void deliver(List<Event> batch) throws InterruptedException {
        HttpRequest request = request(EventEnvelope.json(batch));
        for (int failures = 1; ; failures++) {
            String problem;
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 400) {
                    delivered.addAndGet(batch.size());
                    if (failures > 1) {
                        log.info("events: endpoint {}: delivered after {} failed attempts", name(), failures - 1);
                    }
                    return;
                }
                problem = "HTTP " + status;
            } catch (IOException e) {
                problem = e.toString();
            }
            failedAttempts.incrementAndGet();
            Duration wait = backoff.delayAfter(failures);
            if (closing) {
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.compareTo(wait) <= 0) {
                    throw new InterruptedException("shutdown deadline reached"); // counted as abandoned by close()
                }
            }
            log.warn("events: endpoint {}: posting {} events failed ({}), attempt {}; retrying in {} ms", name(),
                    batch.size(), problem, failures, wait.toMillis());
            if (!wait.isZero()) {
                Thread.sleep(wait);
            }
        }
    }

    private HttpRequest request(byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.url()))
                .timeout(config.timeout())
                .header("Content-Type", EventEnvelope.MEDIA_TYPE)
                .header("User-Agent", "Berth")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        config.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        return builder.build();
    }
}
