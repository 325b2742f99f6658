package dev.berth.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * JWS in the compact serialization: {@code BASE64URL(header).BASE64URL(payload).BASE64URL(signature)}, where the
 * signature covers the first two parts as written.
 */
public final class Jws {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Longer tokens are refused unread; Berth's own are well under 2 KiB. */
    static final int MAX_LENGTH = 16 * 1024;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private Jws() {}

    /**
     * A token in the compact form, its three parts decoded; nothing in it is verified yet.
     *
     * @param header the JOSE header
     * @param payload the payload bytes
     * @param signingInput the bytes the signature covers: the first two parts as the token wrote them
     * @param signature the signature bytes
     */
    public record Parsed(JsonNode header, byte[] payload, byte[] signingInput, byte[] signature) {}

    /** Signs {@code claims} with {@code key}: header {@code {"typ":"JWT","alg":...,"kid":...}}. */
    public static String sign(SigningKey key, ObjectNode claims) {
        ObjectNode header = JSON.createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", key.algorithm().jwsName());
        header.put("kid", key.kid());
        return sign(header, claims.toString().getBytes(StandardCharsets.UTF_8), key);
    }

    /** Signs {@code payload} under exactly {@code header}. */
    public static String sign(JsonNode header, byte[] payload, SigningKey key) {
        String input = encode(header.toString().getBytes(StandardCharsets.UTF_8)) + "." + encode(payload);
        return input + "." + encode(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Splits and decodes a compact token; refuses anything but three base64url parts with a JSON object header. */
    public static Parsed parse(String token) throws InvalidTokenException {
        if (token.length() > MAX_LENGTH) {
            throw new InvalidTokenException("the token is longer than " + MAX_LENGTH + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("not a JWS in compact form (three parts separated by dots)");
        }
        for (String part : parts) {
            if (part.isEmpty() || !BASE64URL.matcher(part).matches()) {
                throw new InvalidTokenException("a part of the token is not base64url");
            }
        }
        JsonNode header;
        byte[] payload;
        byte[] signature;
        try {
            header = JSON.readTree(decode(parts[0]));
            payload = decode(parts[1]);
            signature = decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidTokenException("the token's header or a part of it cannot be decoded");
        }
        if (header == null || !header.isObject()) {
            throw new InvalidTokenException("the token's header is not a JSON object");
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        return new Parsed(header, payload, signingInput, signature);
    }

    /** Base64url without padding. */
    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Decodes base64url, with or without padding. */
    public static byte[] decode(String text) {
        return Base64.getUrlDecoder().decode(text);
    }
}
