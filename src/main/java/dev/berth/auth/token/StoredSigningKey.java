package dev.berth.auth.token;

import dev.berth.registry.Namespace;
import dev.berth.registry.StorageLayout;
import dev.berth.storage.ObjectStore;
import dev.berth.storage.PreconditionFailedException;
import dev.berth.storage.PutCondition;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing key kept in the store, so that every replica sharing the store signs and verifies with the same
 * key. The first process to start generates it and writes it with a create-if-absent put; one that loses that
 * race, and every later one, reads the winner's key. On a backend whose conditional put is only best-effort,
 * two processes starting in the same instant may each keep their own key: start one first there.
 */
public final class StoredSigningKey {
    private static final Logger log = LoggerFactory.getLogger(StoredSigningKey.class);

    private StoredSigningKey() {}

    /** The key stored for {@code ns}, generated for {@code algorithm} and stored when there is none yet. */
    public static SigningKey loadOrCreate(ObjectStore store, Namespace ns, JwsAlgorithm algorithm) {
        String key = StorageLayout.tokenSigningKey(ns);
        Optional<SigningKey> existing = read(store, key);
        if (existing.isPresent()) {
            log.info("token signing key {} ({}) read from the store", existing.get().kid(),
                    existing.get().algorithm().jwsName());
            return existing.get();
        }
        SigningKey generated = SigningKey.generate(algorithm);
        try {
            store.put(key, generated.toPem().getBytes(StandardCharsets.US_ASCII), PutCondition.ifAbsent());
            log.info("token signing key {} ({}) generated and stored at {}", generated.kid(),
                    algorithm.jwsName(), key);
        } catch (PreconditionFailedException e) {
            log.info("another process stored a token signing key first; using it");
        }
        // Read back what the store holds, which is the winner's key when another process raced this one.
        return read(store, key).orElseThrow(() -> new IllegalStateException(
                "the token signing key written to " + key + " cannot be read back"));
    }

    private static Optional<SigningKey> read(ObjectStore store, String key) {
        if (store.stat(key).isEmpty()) {
            return Optional.empty();
        }
        String pem = new String(store.read(key), StandardCharsets.US_ASCII);
        try {
            return Optional.of(PrivateKeyPem.parse(pem));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the token signing key at " + key + " in the store is unusable ("
                    + e.getMessage() + "); delete it to have a new one generated", e);
        }
    }
}
