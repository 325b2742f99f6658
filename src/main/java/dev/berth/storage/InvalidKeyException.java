package dev.berth.storage;

/** The key is outside the store's key grammar; nothing was touched. */
public class InvalidKeyException extends StorageException {
    public InvalidKeyException(String key, String reason) {
        super("invalid object key '" + key + "': " + reason);
    }
}
