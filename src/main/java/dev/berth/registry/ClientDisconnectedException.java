package dev.berth.registry;

/** The client stopped sending a request body; nothing it sent was recorded. */
public class ClientDisconnectedException extends RuntimeException {
    public ClientDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
