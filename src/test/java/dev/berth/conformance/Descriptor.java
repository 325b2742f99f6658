package dev.berth.conformance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A content descriptor as manifests carry it: media type, digest and size. */
public record Descriptor(String mediaType, String digest, long size) {

    /** The descriptor of {@code content} with a sha256 digest. */
    public static Descriptor of(String mediaType, byte[] content) {
        return new Descriptor(mediaType, Digests.sha256(content), content.length);
    }

    /** This descriptor as a JSON object. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
        return node;
    }

    /** This descriptor with another size, to build manifests that lie. */
    public Descriptor withSize(long newSize) {
        return new Descriptor(mediaType, digest, newSize);
    }
}
