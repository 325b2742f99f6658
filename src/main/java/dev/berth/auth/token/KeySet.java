package dev.berth.auth.token;

import java.util.List;
import java.util.Optional;

/** The public keys tokens are verified with: Berth's own, or an external issuer's JWKS. */
public interface KeySet {

    /** The key with id {@code kid}, if known (a remote set may fetch its keys again to find it). */
    Optional<VerificationKey> find(String kid);

    /** Every key known now. */
    List<VerificationKey> all();

    /** A fixed set of keys. */
    static KeySet of(List<VerificationKey> keys) {
        List<VerificationKey> copy = List.copyOf(keys);
        return new KeySet() {
            @Override
            public Optional<VerificationKey> find(String kid) {
                return copy.stream().filter(k -> k.kid().equals(kid)).findFirst();
            }

            @Override
            public List<VerificationKey> all() {
                return copy;
            }
        };
    }
}
