package dev.berth.events;

/**
 * What one endpoint has done since Berth started.
 *
 * @param name the endpoint's name
 * @param pending events queued and not yet delivered
 * @param delivered events the endpoint acknowledged with a 2xx or 3xx
 * @param dropped events dropped because the queue was full, or abandoned at shutdown
 * @param failedAttempts deliveries that failed (an error status, a timeout, no connection) and were retried
 */
public record EndpointStats(String name, int pending, long delivered, long dropped, long failedAttempts) {}
