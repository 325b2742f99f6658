package dev.berth.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of a notification: {@code {"events": [...]}}, each event with the fields and field order of
 * Distribution's, so that receivers written for Distribution read it unchanged.
 */
public final class EventEnvelope {
    /** The media type of the envelope, sent as the request's {@code Content-Type} (the one Distribution 2.x sends). */
    public static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventEnvelope() {}

    /** The envelope of {@code events} as UTF-8 JSON. */
    public static byte[] json(List<Event> events) {
        ObjectNode envelope = JSON.createObjectNode();
        ArrayNode array = envelope.putArray("events");
        for (Event event : events) {
            array.add(node(event));
        }
        try {
            return JSON.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree could not be written as JSON", e);
        }
    }

    private static ObjectNode node(Event event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", event.id());
        node.put("timestamp", event.timestamp().toString());
        node.put("action", event.action().wireName());
        EventTarget t = event.target();
        ObjectNode target = node.putObject("target");
        putIfPresent(target, "mediaType", t.mediaType());
        if (t.size() >= 0) {
            target.put("size", t.size());
        }
        putIfPresent(target, "digest", t.digest() == null ? null : t.digest().toString());
        if (t.size() >= 0) {
            target.put("length", t.size()); // the older name of size, which Distribution still sends
        }
        target.put("repository", t.repository());
        putIfPresent(target, "fromRepository", t.fromRepository());
        putIfPresent(target, "url", t.url());
        putIfPresent(target, "tag", t.tag());
        RequestRecord r = event.request();
        ObjectNode request = node.putObject("request");
        request.put("id", r.id());
        request.put("addr", r.addr());
        request.put("host", r.host());
        request.put("method", r.method());
        request.put("useragent", r.userAgent());
        ObjectNode actor = node.putObject("actor");
        event.actor().ifPresent(name -> actor.put("name", name));
        ObjectNode source = node.putObject("source");
        source.put("addr", event.source().addr());
        source.put("instanceID", event.source().instanceId());
        return node;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
