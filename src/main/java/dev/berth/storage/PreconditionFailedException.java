package dev.berth.storage;

/** A conditional put found the key in another state than it required. */
public class PreconditionFailedException extends StorageException {
    public PreconditionFailedException(String key, PutCondition condition) {
        super("condition " + condition + " failed for " + key);
    }
}
