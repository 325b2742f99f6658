package dev.berth.events;

import java.util.Optional;

/**
 * Where an event comes from: the request, who made it, and the base URL its target's {@code url} starts with.
 *
 * @param request the HTTP request
 * @param actor the user name of the caller; empty for an anonymous caller
 * @param baseUrl the registry's base URL as the client reached it (or the configured public URL), without a slash
 */
public record EventOrigin(RequestRecord request, Optional<String> actor, String baseUrl) {}
