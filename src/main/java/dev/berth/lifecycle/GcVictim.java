package dev.berth.lifecycle;

/**
 * One object a collection deleted, or would delete in a dry run.
 *
 * @param kind what it is: {@code blob}, {@code link}, {@code manifest}, {@code upload}
 * @param key its key in the store
 * @param size its size in bytes (what deleting it frees)
 */
public record GcVictim(String kind, String key, long size) {}
