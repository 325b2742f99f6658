package dev.berth.auth.token;

import java.time.Instant;
import java.util.List;

/**
 * What a token whose signature and claims were checked says.
 *
 * @param subject the {@code sub}: the user it was issued to; empty for an anonymous caller
 * @param access the {@code access} claim: what the token grants
 * @param expiresAt the {@code exp}
 * @param audiences the audiences ({@code aud}) the token names that the verifier accepts: the services it is for
 */
public record VerifiedToken(String subject, List<ResourceScope> access, Instant expiresAt, List<String> audiences) {
    public VerifiedToken {
        access = List.copyOf(access);
        audiences = List.copyOf(audiences);
    }
}
