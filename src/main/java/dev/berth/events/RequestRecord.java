package dev.berth.events;

/**
 * The HTTP request that caused an event, as Distribution's {@code RequestRecord} describes it.
 *
 * @param id the request's id: its {@code X-Request-Id}, or one made up for it
 * @param addr the client's address and port, as the connection shows it
 * @param host the {@code Host} the client asked for
 * @param method the HTTP method
 * @param userAgent the client's {@code User-Agent}; empty when it sent none
 */
public record RequestRecord(String id, String addr, String host, String method, String userAgent) {}
