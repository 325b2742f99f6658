package dev.berth.storage;

/** The precondition of a put: none, create-if-absent, or replace-if-unchanged. */
public sealed interface PutCondition {

    /** Write unconditionally; the last writer wins, and readers see one whole version or the other. */
    record Always() implements PutCondition {}

    /** Write only when no object exists at the key. */
    record IfAbsent() implements PutCondition {}

    /** Write only when the current object carries this etag. */
    record IfMatch(String etag) implements PutCondition {}

    static PutCondition always() {
        return new Always();
    }

    static PutCondition ifAbsent() {
        return new IfAbsent();
    }

    static PutCondition ifMatch(String etag) {
        return new IfMatch(etag);
    }
}
