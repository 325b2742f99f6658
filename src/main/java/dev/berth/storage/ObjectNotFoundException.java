package dev.berth.storage;

/** No object exists at the key. */
public class ObjectNotFoundException extends StorageException {
    public ObjectNotFoundException(String key) {
        super("no object at " + key);
    }
}
