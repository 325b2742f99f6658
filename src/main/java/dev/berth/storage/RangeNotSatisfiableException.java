package dev.berth.storage;

/** A read asked for bytes outside the object. */
public class RangeNotSatisfiableException extends StorageException {
    private final long size;

    public RangeNotSatisfiableException(String key, long offset, long length, long size) {
        super("range " + offset + "+" + length + " outside " + key + " of " + size + " bytes");
        this.size = size;
    }

    /** The object's size, for a {@code Content-Range: bytes *}{@code /SIZE} answer. */
    public long size() {
        return size;
    }
}
