package dev.berth.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback, as a registry's notification endpoint: it keeps every envelope POSTed to it, and
 * can answer the first few with 500 or hold every request until released.
 */
public final class EventReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One POST as received: its headers (names in lower case) and its parsed body. */
    public record Delivery(Map<String, List<String>> headers, JsonNode envelope) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger waiting = new AtomicInteger();

    /** A receiver listening on a free loopback port at {@code /hook}. */
    public EventReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/hook", this::handle);
        server.start();
    }

    /** Where the receiver listens. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answers the next {@code n} POSTs with 500, dropping what they carry. */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    /** Holds every POST from now on until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets held POSTs (and later ones) through. */
    public void release() {
        gate.countDown();
    }

    /** POSTs held right now. */
    public int held() {
        return waiting.get();
    }

    /** Every POST received so far, acknowledged or not. */
    public int attempts() {
        return attempts.get();
    }

    /** The envelopes acknowledged with 200, in order. */
    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The events of every acknowledged envelope, in order. */
    public synchronized List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            delivery.envelope().get("events").forEach(events::add);
        }
        return events;
    }

    /** Waits until at least {@code count} events arrived, then returns all of them; fails after {@code timeout}. */
    public List<JsonNode> awaitEvents(int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<JsonNode> events = events();
            if (events.size() >= count) {
                return events;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected " + count + " events within " + timeout + ", got " + events.size()
                        + ": " + events);
            }
            Thread.sleep(20);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            attempts.incrementAndGet();
            waiting.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                waiting.decrementAndGet();
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            Map<String, List<String>> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
            Delivery delivery = new Delivery(headers, JSON.readTree(body));
            synchronized (this) {
                deliveries.add(delivery);
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
