package dev.berth.observe;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: a client's own when it sent a sane one, otherwise 96 random bits in hex. */
public final class RequestIds {
    /** The header that carries a request id in and out. */
    public static final String HEADER = "X-Request-Id";
    /** The longest id taken from a client; longer ones are replaced rather than cut. */
    static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    /**
     * {@code incoming} when it is 1 to 128 letters, digits, {@code .}, {@code _}, {@code :} or {@code -} (a UUID, a
     * proxy's hex id), so it can be written into a log line as it is; otherwise a new id.
     */
    public static String acceptOrCreate(String incoming) {
        return isSane(incoming) ? incoming : create();
    }

    /** A new id: 24 hex digits. Not secret and not unique by construction, but 96 random bits do not collide. */
    public static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        int low = random.nextInt();
        char[] id = new char[24];
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
        }
        for (int i = 0; i < 8; i++) {
            id[16 + i] = HEX[(low >>> (28 - 4 * i)) & 0xf];
        }
        return new String(id);
    }

    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
