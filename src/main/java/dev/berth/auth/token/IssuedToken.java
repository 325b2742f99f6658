package dev.berth.auth.token;

import java.time.Duration;
import java.time.Instant;

/**
 * A signed access token, as the token endpoint hands it out.
 *
 * @param token the compact JWS
 * @param issuedAt its {@code iat}
 * @param expiresIn how long it is valid from then
 */
public record IssuedToken(String token, Instant issuedAt, Duration expiresIn) {}
