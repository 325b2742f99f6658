package dev.berth.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Passwords that bcrypt already verified, so that a push of many requests pays for bcrypt once per user rather
 * than once per request. Holds, per user, the hash it was verified against and an HMAC of the password under a
 * key that lives only in this process; a changed hash in the file (a new password) misses the cache.
 */
final class CredentialCache {
    private final SecretKeySpec key;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(String hash, byte[] mac) {}

    CredentialCache() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Whether {@code password} was verified for {@code user} against this very {@code hash}. */
    boolean matches(String user, String hash, String password) {
        Entry entry = entries.get(user);
        // Constant-time comparison: the time taken says nothing about how much of the password matched.
        return entry != null && entry.hash().equals(hash) && MessageDigest.isEqual(entry.mac(), mac(password));
    }

    /** Records that {@code password} is {@code user}'s under {@code hash}. */
    void remember(String user, String hash, String password) {
        entries.put(user, new Entry(hash, mac(password)));
    }

    private byte[] mac(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
