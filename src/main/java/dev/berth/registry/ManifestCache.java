package dev.berth.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.registry.digest.Digest;
import java.util.Optional;

/**
 * Manifest bytes by digest, each verified against its digest once. Safe to keep across replicas and requests
 * because the bytes under a digest never change; whether a repository still links the manifest, and which digest
 * a tag names, are read from the store on every request and never cached here.
 */
public final class ManifestCache {
    private final Cache<Key, byte[]> bodies;

    /** A cache holding at most {@code maxBytes} of manifest bodies; 0 turns it off. */
    public ManifestCache(long maxBytes) {
        this.bodies = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, byte[] body) -> body.length + 100)
                .build();
    }

    /** The verified bytes of {@code digest} in {@code ns}, when cached. */
    public Optional<byte[]> get(Namespace ns, Digest digest) {
        return Optional.ofNullable(bodies.getIfPresent(new Key(ns, digest)));
    }

    /** Remembers {@code body}, which the caller has checked hashes to {@code digest}. */
    public void put(Namespace ns, Digest digest, byte[] body) {
        bodies.put(new Key(ns, digest), body);
    }

    /** Namespaces are isolated registries: the same digest in two of them is two entries. */
    private record Key(Namespace ns, Digest digest) {}
}
