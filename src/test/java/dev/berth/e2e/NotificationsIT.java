package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.events.EventReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** skopeo pushes, pulls and deletes an image on a Berth process that posts its events to a loopback receiver. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NotificationsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void skopeosPushPullAndDeleteArriveAsDistributionsEvents() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 303, 3, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (EventReceiver receiver = new EventReceiver();
                BerthProcess berth = BerthProcess.start("events", BerthProcess.Launch.filesystem(dir.resolve("storage"))
                        .withSettings(Map.of("notifications.endpoints",
                                "[{name: receiver, url: \"" + receiver.url() + "\"}]")))) {
            String ref = "docker://" + berth.hostPort() + "/e2e/events:v1";
            List<String> blobs = image.blobs().stream().map(OciLayout.Descriptor::digest).toList();

            skopeo.copy(List.of(), layout.reference("v1"), ref);

            // Its HEAD checks of the blobs send nothing; each blob's upload, then the manifest under its tag, a push.
            List<JsonNode> pushes = phase(berth, receiver, "pushed");
            assertThat(pushes).hasSize(blobs.size() + 1);
            assertThat(pushes).extracting(e -> e.get("action").asText()).containsOnly("push");
            assertThat(pushes.subList(0, blobs.size())).extracting(e -> e.get("target").get("digest").asText())
                    .containsExactlyInAnyOrderElementsOf(blobs);
            assertThat(pushes.subList(0, blobs.size())).extracting(e -> e.get("target").get("mediaType").asText())
                    .containsOnly("application/octet-stream");
            JsonNode manifest = pushes.get(blobs.size()).get("target");
            assertThat(manifest.get("digest").asText()).isEqualTo(image.manifest().digest());
            assertThat(manifest.get("mediaType").asText()).isEqualTo(OciLayout.OCI_MANIFEST);
            assertThat(manifest.get("size").asLong()).isEqualTo(image.manifest().size());
            assertThat(manifest.get("tag").asText()).isEqualTo("v1");
            assertThat(manifest.get("url").asText())
                    .isEqualTo(berth.uri() + "/v2/e2e/events/manifests/" + image.manifest().digest());
            assertThat(pushes).extracting(e -> e.get("request").get("useragent").asText())
                    .allMatch(ua -> !ua.isEmpty());
            assertThat(pushes).extracting(e -> e.get("source").get("addr").asText())
                    .allMatch(addr -> addr.endsWith(":" + berth.port()));

            skopeo.copy(List.of(), ref, "oci:" + dir.resolve("pulled") + ":v1");

            // Every blob and the manifest were read by GET (the manifest perhaps more than once).
            List<JsonNode> pulls = phase(berth, receiver, "pulled");
            assertThat(pulls).extracting(e -> e.get("action").asText()).containsOnly("pull");
            assertThat(pulls).extracting(e -> e.get("request").get("method").asText()).containsOnly("GET");
            assertThat(pulls).extracting(e -> e.get("target").get("digest").asText())
                    .containsAll(blobs).contains(image.manifest().digest());
            assertThat(pulls).extracting(e -> e.get("target").get("repository").asText()).containsOnly("e2e/events");

            skopeo.delete(ref);

            // skopeo reads the manifest by its tag to learn the digest, then deletes by digest, which takes the tag.
            List<JsonNode> deletes = phase(berth, receiver, "deleted");
            assertThat(deletes).extracting(e -> e.get("action").asText() + " "
                    + e.get("target").path("digest").asText("-") + " " + e.get("target").path("tag").asText("-"))
                    .containsExactly("pull " + image.manifest().digest() + " v1",
                            "delete " + image.manifest().digest() + " -", "delete - v1");
        }
    }

    /**
     * The events since the previous phase: a marker blob pushed to its own repository is the last event of this
     * phase, since an endpoint receives events in the order they happen.
     */
    private List<JsonNode> phase(BerthProcess berth, EventReceiver receiver, String name) throws Exception {
        RegistryHttp http = new RegistryHttp(berth);
        byte[] marker = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String digest = Digests.of(marker);
        RegistryHttp.expect(http.putWholeBlob(http.startUpload("e2e/marker"), digest, marker.length,
                () -> new java.io.ByteArrayInputStream(marker)), 201, "marker " + name);
        java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
        while (true) {
            List<JsonNode> events = receiver.events();
            int end = -1;
            for (int i = 0; i < events.size(); i++) {
                if (digest.equals(events.get(i).get("target").path("digest").asText())) {
                    end = i;
                }
            }
            if (end >= 0) {
                List<JsonNode> phase = events.subList(seen, end);
                seen = end + 1;
                return phase;
            }
            assertThat(java.time.Instant.now()).as("the marker of %s arrives", name).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private int seen;
}
