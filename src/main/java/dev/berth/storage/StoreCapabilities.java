package dev.berth.storage;

/**
 * What a backend guarantees.
 *
 * @param name a short name for logs, such as {@code filesystem}
 * @param atomicConditionalPut true when {@link PutCondition#ifAbsent()} and {@link PutCondition#ifMatch} are
 *     enforced atomically against concurrent writers in other processes; false when they are a best-effort
 *     check-then-write
 */
public record StoreCapabilities(String name, boolean atomicConditionalPut) {}
