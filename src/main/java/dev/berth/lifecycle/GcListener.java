package dev.berth.lifecycle;

/** Hears what a collection does: its progress and each object it deletes or, in a dry run, would delete. */
public interface GcListener {
    /** Does nothing. */
    GcListener NONE = new GcListener() {};

    /** Called every few hundred objects and at each phase change; may throw to abort the run between objects. */
    default void progress(GcProgress progress) {}

    /** Called for each object deleted, or that a dry run would delete. */
    default void victim(GcVictim victim) {}
}
