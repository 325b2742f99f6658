package dev.berth.registry;

import dev.berth.config.BerthConfig;
import dev.berth.storage.ObjectStore;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The registry domain over one object store: blobs, uploads, manifests, tags, referrers and the catalog.
 *
 * @param blobs blobs as repositories see them
 * @param uploads blob uploads
 * @param manifests manifests, tags and referrers
 * @param catalog the repositories of each namespace
 * @param reader blob reads for serving, verified as the verify-on-read policy asks
 * @param namespaces the namespaces served, and how requests choose one
 */
public record Registry(BlobStore blobs, UploadService uploads, ManifestStore manifests, Catalog catalog,
        BlobReader reader, Namespaces namespaces) {

    /** Manifest bytes kept in memory; manifests are a few KiB, so this holds thousands. */
    private static final long MANIFEST_CACHE_BYTES = 32L * 1024 * 1024;

    /** Wires the domain over {@code store} with the limits and policies of {@code config}. */
    public static Registry open(ObjectStore store, BerthConfig config, Clock clock) {
        return open(store, config, clock, UploadDigests.inRecord());
    }

    /** As {@link #open(ObjectStore, BerthConfig, Clock)}, with upload digests kept where {@code digests} says. */
    public static Registry open(ObjectStore store, BerthConfig config, Clock clock, UploadDigests digests) {
        Catalog catalog = new Catalog(store);
        BlobStore blobs = new BlobStore(store, catalog, clock,
                BlobStore.refreshInterval(config.lifecycle().gc().grace()));
        BlobReader reader = new BlobReader(store, new Quarantine(store, clock), config.verifyOnRead(),
                () -> ThreadLocalRandom.current().nextDouble(),
                marker -> Thread.ofVirtual().name("berth-verified-marker").start(marker));
        return new Registry(blobs, new UploadService(store, blobs, clock, digests),
                new ManifestStore(store, blobs, catalog, config.limits().manifestSize(),
                        config.validation().sparseIndex(), new ManifestCache(MANIFEST_CACHE_BYTES)),
                catalog, reader, Namespaces.of(config.namespaces()));
    }
}
