package dev.berth.registry;

import dev.berth.registry.digest.Digest;
import java.util.List;

/**
 * A reference from a manifest to content, as far as the registry needs it.
 *
 * @param mediaType the referenced content's media type
 * @param digest its digest
 * @param size its size in bytes
 * @param urls where a non-distributable layer can be fetched instead of from this registry; usually empty
 */
public record Descriptor(String mediaType, Digest digest, long size, List<String> urls) {
    public Descriptor {
        urls = List.copyOf(urls);
    }
}
