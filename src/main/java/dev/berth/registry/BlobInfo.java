package dev.berth.registry;

import dev.berth.registry.digest.Digest;

/** A blob as a repository sees it: its digest and size. */
public record BlobInfo(Digest digest, long size) {}
