package dev.berth.storage;

/** A failure of the object store; unless a subclass says otherwise, the backend itself failed. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
