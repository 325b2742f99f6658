package dev.berth.storage;

import java.nio.charset.StandardCharsets;

/** The key grammar every backend accepts: checked before a key can reach any storage. */
public final class ObjectKeys {
    public static final int MAX_KEY_BYTES = 1024;
    /** Filesystems limit a file name to 255 bytes; every backend refuses longer components so all agree. */
    public static final int MAX_COMPONENT_BYTES = 255;

    private ObjectKeys() {}

    /** Returns the key when it is valid; throws {@link InvalidKeyException} naming the reason otherwise. */
    public static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException(String.valueOf(key), "empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidKeyException(key, "longer than " + MAX_KEY_BYTES + " bytes");
        }
        int start = 0;
        while (start <= key.length()) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            checkComponent(key, key.substring(start, end));
            start = end + 1;
        }
        return key;
    }

    /** Checks a listing prefix: empty, or a key optionally ending in {@code /}. */
    public static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    private static void checkComponent(String key, String component) {
        if (component.isEmpty()) {
            throw new InvalidKeyException(key, "empty path component");
        }
        if (component.length() > MAX_COMPONENT_BYTES) {
            throw new InvalidKeyException(key, "component longer than " + MAX_COMPONENT_BYTES + " bytes");
        }
        if (component.charAt(0) == '.') {
            throw new InvalidKeyException(key, "component '" + component + "' starts with '.'");
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new InvalidKeyException(key, "character '" + c + "' is not allowed");
            }
        }
    }
}
