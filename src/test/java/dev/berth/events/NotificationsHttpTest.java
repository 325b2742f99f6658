package dev.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.NotificationEndpoint;
import dev.berth.config.BerthConfig.Notifications;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Berth in-process with webhook endpoints on a loopback receiver: the events of pushes, pulls, mounts and deletes,
 * their fields, the filters, retries, the bounded queue and delivery at shutdown.
 */
@Timeout(120)
class NotificationsHttpTest {
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    private EventReceiver receiver() throws Exception {
        EventReceiver receiver = new EventReceiver();
        open.add(receiver);
        return receiver;
    }

    private BerthServer berth(NotificationEndpoint... endpoints) throws Exception {
        return berth(Duration.ofSeconds(30), endpoints);
    }

    private BerthServer berth(Duration shutdownTimeout, NotificationEndpoint... endpoints) throws Exception {
        BerthServer server = BerthServer.start(BerthConfig.defaults().withListen("127.0.0.1:0")
                .withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.MEMORY, null))
                .withNotifications(new Notifications(List.of(endpoints)))
                .withShutdown(new BerthConfig.Shutdown(shutdownTimeout)));
        open.add(server);
        return server;
    }

    private static NotificationEndpoint endpoint(EventReceiver receiver) {
        return NotificationEndpoint.to("test", receiver.url());
    }

    // ---- what a push, a pull, a mount and a delete send

    @Test
    void aPushSendsOneEventPerBlobAndOnePerTagOfTheManifestWithDistributionsFields() throws Exception {
        EventReceiver receiver = receiver();
        BerthServer berth = berth(endpoint(receiver).withHeaders(Map.of("Authorization", List.of("Bearer t0ken"))));
        Registry registry = new Registry(berth.uri());
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);

        String layerDigest = registry.pushMonolithic("team/app", layer, "req-layer-1");
        String configDigest = registry.pushChunked("team/app", config);
        byte[] manifest = manifest(configDigest, config.length, layerDigest, layer.length);
        String manifestDigest = sha256(manifest);
        registry.expect(201, "PUT", "/v2/team/app/manifests/v1?tag=v2", manifest, OCI_MANIFEST, null);

        List<JsonNode> events = receiver.awaitEvents(4, WAIT);
        assertThat(events).hasSize(4);
        assertThat(events).extracting(e -> e.get("action").asText()).containsOnly("push");

        JsonNode layerEvent = events.get(0);
        assertThat(fieldNames(layerEvent)).containsExactly("id", "timestamp", "action", "target", "request", "actor",
                "source");
        assertThat(fieldNames(layerEvent.get("target")))
                .containsExactly("mediaType", "size", "digest", "length", "repository", "url");
        assertThat(layerEvent.get("target").get("mediaType").asText()).isEqualTo("application/octet-stream");
        assertThat(layerEvent.get("target").get("digest").asText()).isEqualTo(layerDigest);
        assertThat(layerEvent.get("target").get("size").asLong()).isEqualTo(layer.length);
        assertThat(layerEvent.get("target").get("length").asLong()).isEqualTo(layer.length);
        assertThat(layerEvent.get("target").get("repository").asText()).isEqualTo("team/app");
        assertThat(layerEvent.get("target").get("url").asText())
                .isEqualTo(berth.uri() + "/v2/team/app/blobs/" + layerDigest);
        JsonNode request = layerEvent.get("request");
        assertThat(fieldNames(request)).containsExactly("id", "addr", "host", "method", "useragent");
        assertThat(request.get("id").asText()).isEqualTo("req-layer-1");
        assertThat(request.get("method").asText()).isEqualTo("POST");
        assertThat(request.get("addr").asText()).matches("127\\.0\\.0\\.1:[0-9]+");
        assertThat(request.get("host").asText()).isEqualTo(berth.uri().getAuthority());
        assertThat(request.get("useragent").asText()).isEqualTo(Registry.USER_AGENT);
        assertThat(layerEvent.get("actor").isEmpty()).as("an anonymous caller's actor is {}").isTrue();
        assertThat(layerEvent.get("source").get("addr").asText()).endsWith(":" + berth.uri().getPort());
        assertThat(Instant.parse(layerEvent.get("timestamp").asText())).isBefore(Instant.now());

        JsonNode configEvent = events.get(1);
        assertThat(configEvent.get("target").get("digest").asText()).isEqualTo(configDigest);
        assertThat(configEvent.get("request").get("method").asText()).isEqualTo("PUT");
        // Made up when the client sends none: the X-Request-Id that Berth answers with (24 hex digits).
        assertThat(configEvent.get("request").get("id").asText()).as("made up when the client sends none")
                .matches("[0-9a-f]{24}");

        for (int i = 2; i < 4; i++) {
            JsonNode target = events.get(i).get("target");
            assertThat(fieldNames(target))
                    .containsExactly("mediaType", "size", "digest", "length", "repository", "url", "tag");
            assertThat(target.get("mediaType").asText()).isEqualTo(OCI_MANIFEST);
            assertThat(target.get("digest").asText()).isEqualTo(manifestDigest);
            assertThat(target.get("size").asLong()).isEqualTo(manifest.length);
            assertThat(target.get("url").asText())
                    .isEqualTo(berth.uri() + "/v2/team/app/manifests/" + manifestDigest);
        }
        assertThat(events.subList(2, 4)).extracting(e -> e.get("target").get("tag").asText())
                .containsExactly("v1", "v2");
        assertThat(events.get(2).get("request").get("id").asText())
                .isEqualTo(events.get(3).get("request").get("id").asText());

        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).hasSize(4).allMatch(id -> UUID.matcher(id).matches());
        assertThat(events).extracting(e -> e.get("source").get("instanceID").asText()).containsOnly(
                events.get(0).get("source").get("instanceID").asText());

        EventReceiver.Delivery delivery = receiver.deliveries().get(0);
        assertThat(delivery.header("Content-Type")).isEqualTo("application/vnd.docker.distribution.events.v1+json");
        assertThat(delivery.header("Authorization")).isEqualTo("Bearer t0ken");
    }

    @Test
    void getsOfBlobsAndManifestsSendPullsAndHeadsSendNothing() throws Exception {
        EventReceiver receiver = receiver();
        BerthServer berth = berth(endpoint(receiver));
        Registry registry = new Registry(berth.uri());
        Image image = registry.pushImage("team/app", "v1");
        receiver.awaitEvents(3, WAIT);

        registry.expect(200, "HEAD", "/v2/team/app/blobs/" + image.layer(), null, null, null);
        registry.expect(200, "HEAD", "/v2/team/app/manifests/v1", null, null, null);
        registry.expect(200, "GET", "/v2/team/app/blobs/" + image.layer(), null, null, null);
        registry.expect(206, "GET", "/v2/team/app/blobs/" + image.layer(), null, null, "bytes=1-3");
        registry.expect(200, "GET", "/v2/team/app/manifests/v1", null, null, null);
        registry.expect(200, "GET", "/v2/team/app/manifests/" + image.manifest(), null, null, null);

        List<JsonNode> pulls = receiver.awaitEvents(7, WAIT).subList(3, 7);
        assertThat(pulls).extracting(e -> e.get("action").asText()).containsOnly("pull");
        assertThat(pulls).extracting(e -> e.get("request").get("method").asText()).containsOnly("GET");
        assertThat(pulls).extracting(e -> e.get("target").get("digest").asText())
                .containsExactly(image.layer(), image.layer(), image.manifest(), image.manifest());
        assertThat(pulls.get(1).get("target").get("size").asLong()).as("the blob's size, even for a range")
                .isEqualTo(image.layerSize());
        assertThat(pulls.get(2).get("target").get("tag").asText()).isEqualTo("v1");
        assertThat(pulls.get(2).get("target").get("mediaType").asText()).isEqualTo(OCI_MANIFEST);
        assertThat(pulls.get(3).get("target").has("tag")).as("pulled by digest").isFalse();
    }

    @Test
    void aManifestDeleteSendsItAndEachOfItsTagsWhileTagAndBlobDeletesSendThemselves() throws Exception {
        EventReceiver receiver = receiver();
        BerthServer berth = berth(endpoint(receiver));
        Registry registry = new Registry(berth.uri());
        Image image = registry.pushImage("team/app", "v1");
        registry.expect(201, "PUT", "/v2/team/app/manifests/v2?tag=v3", image.manifestBytes(), OCI_MANIFEST, null);
        receiver.awaitEvents(5, WAIT);

        registry.expect(202, "DELETE", "/v2/team/app/manifests/v3", null, null, null);
        registry.expect(202, "DELETE", "/v2/team/app/manifests/" + image.manifest(), null, null, null);
        registry.expect(202, "DELETE", "/v2/team/app/blobs/" + image.layer(), null, null, null);
        registry.expect(404, "DELETE", "/v2/team/app/manifests/v3", null, null, null);

        List<JsonNode> deletes = receiver.awaitEvents(10, WAIT).subList(5, 10);
        assertThat(deletes).extracting(e -> e.get("action").asText()).containsOnly("delete");
        assertThat(deletes).extracting(e -> fieldNames(e.get("target"))).containsExactly(
                List.of("repository", "tag"),
                List.of("digest", "repository"), List.of("repository", "tag"), List.of("repository", "tag"),
                List.of("digest", "repository"));
        assertThat(deletes.get(0).get("target").get("tag").asText()).isEqualTo("v3");
        assertThat(deletes.get(1).get("target").get("digest").asText()).isEqualTo(image.manifest());
        assertThat(List.of(deletes.get(2).get("target").get("tag").asText(),
                deletes.get(3).get("target").get("tag").asText())).containsExactlyInAnyOrder("v1", "v2");
        assertThat(deletes.get(4).get("target").get("digest").asText()).isEqualTo(image.layer());
        assertThat(deletes).extracting(e -> e.get("target").get("repository").asText()).containsOnly("team/app");
        // The failed delete of the tag already gone sent nothing: the next event is the marker.
        registry.pushMonolithic("team/app", "marker".getBytes(StandardCharsets.UTF_8), null);
        assertThat(receiver.awaitEvents(11, WAIT).get(10).get("action").asText()).isEqualTo("push");
    }

    @Test
    void aMountIsSentAsMountNamingTheRepositoryItCameFrom() throws Exception {
        EventReceiver receiver = receiver();
        BerthServer berth = berth(endpoint(receiver));
        Registry registry = new Registry(berth.uri());
        byte[] layer = "shared layer".getBytes(StandardCharsets.UTF_8);
        String digest = registry.pushMonolithic("base/image", layer, null);

        registry.expect(201, "POST", "/v2/team/app/blobs/uploads/?mount=" + digest + "&from=base/image", null, null,
                null);
        registry.expect(201, "POST", "/v2/team/other/blobs/uploads/?mount=" + digest, null, null, null);

        List<JsonNode> mounts = receiver.awaitEvents(3, WAIT).subList(1, 3);
        assertThat(mounts).extracting(e -> e.get("action").asText()).containsOnly("mount");
        assertThat(fieldNames(mounts.get(0).get("target")))
                .containsExactly("mediaType", "size", "digest", "length", "repository", "fromRepository", "url");
        assertThat(mounts).extracting(e -> e.get("target").get("repository").asText())
                .containsExactly("team/app", "team/other");
        assertThat(mounts.get(0).get("target").get("fromRepository").asText()).isEqualTo("base/image");
        assertThat(mounts.get(1).get("target").get("fromRepository").asText()).isIn("base/image", "team/app");
        assertThat(mounts).extracting(e -> e.get("target").get("size").asLong()).containsOnly((long) layer.length);
    }

    @Test
    void aFailedPushSendsNothing() throws Exception {
        EventReceiver receiver = receiver();
        BerthServer berth = berth(endpoint(receiver));
        Registry registry = new Registry(berth.uri());
        byte[] bytes = "some bytes".getBytes(StandardCharsets.UTF_8);
        String wrongDigest = sha256("other bytes".getBytes(StandardCharsets.UTF_8));

        registry.expect(400, "POST", "/v2/team/app/blobs/uploads/?digest=" + wrongDigest, bytes, null, null);
        URI upload = registry.startUpload("team/app");
        registry.expect(202, "PATCH", upload.getRawPath(), bytes, null, null);
        registry.expect(400, "PUT", upload.getRawPath() + "?digest=" + wrongDigest, null, null, null);
        byte[] dangling = manifest(wrongDigest, 2, wrongDigest, 2);
        registry.expect(400, "PUT", "/v2/team/app/manifests/v1", dangling, OCI_MANIFEST, null);
        registry.expect(404, "GET", "/v2/team/app/blobs/" + wrongDigest, null, null, null);
        registry.expect(404, "GET", "/v2/team/app/manifests/v1", null, null, null);
        String marker = registry.pushMonolithic("team/app", "marker".getBytes(StandardCharsets.UTF_8), null);

        List<JsonNode> events = receiver.awaitEvents(1, WAIT);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("target").get("digest").asText()).isEqualTo(marker);
    }

    // ---- filters

    @Test
    void filtersKeepTheirRepositoriesAndActionsAndDropIgnoredMediaTypesAndActions() throws Exception {
        EventReceiver teamA = receiver();
        EventReceiver manifestsOnly = receiver();
        BerthServer berth = berth(
                NotificationEndpoint.to("team-a-pushes", teamA.url()).withFilters(List.of("team-a/**"),
                        List.of("push")),
                NotificationEndpoint.to("no-blobs-no-pulls", manifestsOnly.url())
                        .withIgnored(List.of("application/octet-stream"), List.of("pull")));
        Registry registry = new Registry(berth.uri());

        Image other = registry.pushImage("other/app", "v1");
        registry.expect(200, "GET", "/v2/other/app/manifests/v1", null, null, null);
        registry.expect(200, "GET", "/v2/other/app/blobs/" + other.layer(), null, null, null);
        Image teamAImage = registry.pushImage("team-a/app", "v1");
        registry.expect(200, "GET", "/v2/team-a/app/manifests/v1", null, null, null);
        registry.expect(202, "DELETE", "/v2/team-a/app/manifests/v1", null, null, null);
        registry.expect(201, "PUT", "/v2/team-a/app/manifests/marker", teamAImage.manifestBytes(), OCI_MANIFEST,
                null);

        // Each endpoint delivers in order, so once the marker arrives everything before it was filtered or sent.
        List<JsonNode> a = teamA.awaitEvents(4, WAIT);
        assertThat(a).extracting(e -> e.get("action").asText() + " " + e.get("target").get("repository").asText()
                + " " + e.get("target").path("tag").asText("-")).containsExactly(
                        "push team-a/app -", "push team-a/app -", "push team-a/app v1", "push team-a/app marker");
        List<JsonNode> m = manifestsOnly.awaitEvents(4, WAIT);
        assertThat(m).extracting(e -> e.get("action").asText() + " " + e.get("target").get("repository").asText()
                + " " + e.get("target").path("tag").asText("-")).containsExactly(
                        "push other/app v1", "push team-a/app v1", "delete team-a/app v1", "push team-a/app marker");
    }

    // ---- delivery: retries, the bounded queue, shutdown

    @Test
    void aReceiverThatFailsAtFirstGetsTheEventsAfterRetries() throws Exception {
        EventReceiver receiver = receiver();
        receiver.failNext(3);
        BerthServer berth = berth(endpoint(receiver).withRetries(1, Duration.ofMillis(10), Duration.ofMillis(40)));
        Registry registry = new Registry(berth.uri());

        String digest = registry.pushMonolithic("team/app", "retried".getBytes(StandardCharsets.UTF_8), null);

        List<JsonNode> events = receiver.awaitEvents(1, WAIT);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("target").get("digest").asText()).isEqualTo(digest);
        assertThat(receiver.attempts()).isEqualTo(4);
        EndpointStats stats = awaitStats(berth, s -> s.delivered() == 1);
        assertThat(stats.failedAttempts()).isEqualTo(3);
        assertThat(stats.delivered()).isEqualTo(1);
        assertThat(stats.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsEventsAndCountsThemInsteadOfHoldingRequests() throws Exception {
        EventReceiver receiver = receiver();
        receiver.hold();
        int queueSize = 2;
        BerthServer berth = berth(endpoint(receiver).withQueueSize(queueSize));
        Registry registry = new Registry(berth.uri());
        int pushes = 40;

        // Every push answers while the receiver holds the first delivery: offering an event never waits.
        for (int i = 0; i < pushes; i++) {
            registry.pushMonolithic("team/app", ("blob " + i).getBytes(StandardCharsets.UTF_8), null);
        }
        awaitHeld(receiver);
        EndpointStats held = berth.eventStats().get(0);
        assertThat(held.dropped()).isGreaterThanOrEqualTo(pushes - queueSize - Endpoint.MAX_BATCH);
        assertThat(held.pending()).isLessThanOrEqualTo(queueSize + Endpoint.MAX_BATCH);
        assertThat(held.pending() + held.dropped()).isEqualTo(pushes);

        receiver.release();
        List<JsonNode> events = receiver.awaitEvents(held.pending(), WAIT);
        assertThat(events).hasSize(held.pending());
        // The receiver has the events a moment before Berth has its answers.
        EndpointStats after = awaitStats(berth, s -> s.pending() == 0);
        assertThat(after.delivered()).isEqualTo(held.pending());
        assertThat(after.dropped()).isEqualTo(held.dropped());
    }

    @Test
    void shutdownDeliversWhatIsQueuedWithinTheTimeout() throws Exception {
        EventReceiver receiver = receiver();
        receiver.hold();
        BerthServer berth = berth(Duration.ofSeconds(60), endpoint(receiver));
        Registry registry = new Registry(berth.uri());
        for (int i = 0; i < 3; i++) {
            registry.pushMonolithic("team/app", ("queued " + i).getBytes(StandardCharsets.UTF_8), null);
        }
        awaitHeld(receiver);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try {
                berth.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(closed).isNotDone(); // waiting for the held delivery, within the 60 s
        receiver.release();
        closed.get();

        assertThat(receiver.events()).hasSize(3);
        assertThat(berth.eventStats().get(0).dropped()).isZero();
    }

    @Test
    void shutdownAbandonsWhatTheEndpointDoesNotTakeByTheTimeoutAndCountsIt() throws Exception {
        EventReceiver receiver = receiver();
        receiver.hold();
        BerthServer berth = berth(Duration.ofSeconds(1), endpoint(receiver));
        Registry registry = new Registry(berth.uri());
        for (int i = 0; i < 3; i++) {
            registry.pushMonolithic("team/app", ("abandoned " + i).getBytes(StandardCharsets.UTF_8), null);
        }
        awaitHeld(receiver);

        berth.close(); // returns although the receiver never answers

        assertThat(receiver.events()).isEmpty();
        assertThat(berth.eventStats().get(0).dropped()).isEqualTo(3);
        assertThat(berth.eventStats().get(0).delivered()).isZero();
    }

    /** The first endpoint's counters once {@code condition} holds for them. */
    private static EndpointStats awaitStats(BerthServer berth, java.util.function.Predicate<EndpointStats> condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        EndpointStats stats;
        while (!condition.test(stats = berth.eventStats().get(0))) {
            assertThat(Instant.now()).as("the endpoint's counters reach the expected state: %s", stats)
                    .isBefore(deadline);
            Thread.sleep(10);
        }
        return stats;
    }

    private static void awaitHeld(EventReceiver receiver) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (receiver.held() == 0) {
            assertThat(Instant.now()).as("a delivery reaches the receiver").isBefore(deadline);
            Thread.sleep(10);
        }
    }

    // ---- helpers

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static byte[] manifest(String configDigest, long configSize, String layerDigest, long layerSize) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + configSize + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layerSize + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** An image pushed by {@link Registry#pushImage}: its layer, config and manifest. */
    record Image(String layer, long layerSize, String config, String manifest, byte[] manifestBytes) {}

    /** The raw registry API over HTTP, as the tests need it. */
    final class Registry {
        static final String USER_AGENT = "events-test/1.0";
        private final URI base;

        Registry(URI base) {
            this.base = base;
        }

        HttpResponse<String> expect(int status, String method, String pathAndQuery, byte[] body, String contentType,
                String range) throws Exception {
            return expect(status, method, pathAndQuery, body, contentType, range, null);
        }

        HttpResponse<String> expect(int status, String method, String pathAndQuery, byte[] body, String contentType,
                String range, String requestId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .header("User-Agent", USER_AGENT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (range != null) {
                request.header("Range", range);
            }
            if (requestId != null) {
                request.header("X-Request-Id", requestId);
            }
            if (pathAndQuery.contains("/manifests/")) {
                request.header("Accept", OCI_MANIFEST);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + pathAndQuery + ": " + response.body())
                    .isEqualTo(status);
            return response;
        }

        String pushMonolithic(String repo, byte[] bytes, String requestId) throws Exception {
            String digest = sha256(bytes);
            expect(201, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, bytes, null, null, requestId);
            return digest;
        }

        URI startUpload(String repo) throws Exception {
            HttpResponse<String> started = expect(202, "POST", "/v2/" + repo + "/blobs/uploads/", null, null, null);
            return base.resolve(started.headers().firstValue("Location").orElseThrow());
        }

        String pushChunked(String repo, byte[] bytes) throws Exception {
            String digest = sha256(bytes);
            URI upload = startUpload(repo);
            expect(202, "PATCH", upload.getRawPath(), bytes, "application/octet-stream", null);
            expect(201, "PUT", upload.getRawPath() + "?digest=" + digest, null, null, null);
            return digest;
        }

        Image pushImage(String repo, String tag) throws Exception {
            byte[] layer = ("layer of " + repo).getBytes(StandardCharsets.UTF_8);
            byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
            String layerDigest = pushMonolithic(repo, layer, null);
            String configDigest = pushMonolithic(repo, config, null);
            byte[] manifest = manifest(configDigest, config.length, layerDigest, layer.length);
            expect(201, "PUT", "/v2/" + repo + "/manifests/" + tag, manifest, OCI_MANIFEST, null);
            return new Image(layerDigest, layer.length, configDigest, sha256(manifest), manifest);
        }
    }
}
