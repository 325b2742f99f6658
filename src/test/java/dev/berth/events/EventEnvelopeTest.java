package dev.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.Tag;
import dev.berth.registry.digest.Digest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Berth's envelopes have the shape of Distribution's: the same fields, in the same order, for every kind of event.
 *
 * <p>The reference is {@code distribution-2.8.2-envelopes.jsonl}: the bodies Debian's docker-registry 2.8.2 posted to
 * a loopback receiver (one envelope per line) while curl pushed two blobs and a tagged manifest, pulled them by HEAD
 * and GET (a range too), mounted a blob into another repository, pushed a second tag, deleted the manifest by digest
 * (which also deletes its tags) and deleted a blob.
 */
class EventEnvelopeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "http://registry.example:5000";

    @Test
    void everyKindOfEventHasTheFieldsOfDistributionsInItsOrder() throws Exception {
        List<JsonNode> recorded = distributionEvents();
        assertThat(recorded).extracting(e -> e.get("action").asText()).contains("push", "pull", "mount", "delete");
        for (JsonNode theirs : recorded) {
            JsonNode ours = JSON.readTree(EventEnvelope.json(List.of(sameKind(theirs)))).get("events").get(0);
            assertThat(paths(ours, "")).as("the shape of %s", theirs).isEqualTo(paths(theirs, ""));
        }
    }

    @Test
    void theEnvelopeHoldsEveryEventInOrderAndAnActorOnlyForAKnownCaller() throws Exception {
        RepositoryName repo = new RepositoryName("team/app");
        Digest digest = Digest.sha256(new byte[] {1});
        Event anonymous = event(EventAction.PULL, EventTarget.blob(BASE, repo, digest, 1), Optional.empty());
        Event alice = event(EventAction.DELETE, EventTarget.deleted(repo, digest), Optional.of("alice"));

        JsonNode envelope = JSON.readTree(EventEnvelope.json(List.of(anonymous, alice)));

        assertThat(envelope.get("events")).hasSize(2);
        assertThat(envelope.get("events").get(0).get("actor").isEmpty()).isTrue();
        assertThat(envelope.get("events").get(1).get("actor").get("name").asText()).isEqualTo("alice");
        assertThat(envelope.get("events").get(1).get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05.123456789Z");
    }

    /** A Berth event of the same kind as a recorded one: same action, same kind of target. */
    private static Event sameKind(JsonNode recorded) {
        JsonNode target = recorded.get("target");
        RepositoryName repo = new RepositoryName(target.get("repository").asText());
        Digest digest = target.has("digest") ? Digest.parse(target.get("digest").asText()) : null;
        Tag tag = target.has("tag") ? new Tag(target.get("tag").asText()) : null;
        EventAction action = EventAction.byWireName(recorded.get("action").asText());
        long size = target.path("size").asLong(-1);
        EventTarget ours;
        if (action == EventAction.DELETE) {
            ours = digest == null ? EventTarget.deletedTag(repo, tag) : EventTarget.deleted(repo, digest);
        } else if (action == EventAction.MOUNT) {
            ours = EventTarget.mountedBlob(BASE, repo, digest, size,
                    new RepositoryName(target.get("fromRepository").asText()));
        } else if (EventTarget.BLOB_MEDIA_TYPE.equals(target.get("mediaType").asText())) {
            ours = EventTarget.blob(BASE, repo, digest, size);
        } else {
            ours = EventTarget.manifest(BASE, repo, digest, target.get("mediaType").asText(), size, tag);
        }
        Optional<String> actor = recorded.get("actor").has("name")
                ? Optional.of(recorded.get("actor").get("name").asText()) : Optional.empty();
        return event(action, ours, actor);
    }

    private static Event event(EventAction action, EventTarget target, Optional<String> actor) {
        return new Event("8c3e1b0e-0d7e-4a59-9f0e-2f3a4b5c6d7e", Instant.parse("2026-01-02T03:04:05.123456789Z"),
                action, target, new RequestRecord("1d1f5e9a-6c3b-4c8e-8d2a-0b1c2d3e4f50", "127.0.0.1:40000",
                        "registry.example:5000", "GET", "test/1"),
                actor, new SourceRecord("berth-host:5000", "5b6c7d8e-9f00-4a1b-8c2d-3e4f5a6b7c8d"));
    }

    /** Every field path of a JSON tree in document order, such as {@code target.mediaType}. */
    private static List<String> paths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        node.fields().forEachRemaining(field -> {
            String path = prefix + field.getKey();
            paths.add(path);
            if (field.getValue().isObject()) {
                paths.addAll(paths(field.getValue(), path + "."));
            }
        });
        return paths;
    }

    private static List<JsonNode> distributionEvents() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (InputStream in = EventEnvelopeTest.class.getResourceAsStream("/events/distribution-2.8.2-envelopes.jsonl");
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JSON.readTree(line).get("events").forEach(events::add);
            }
        }
        return events;
    }
}
