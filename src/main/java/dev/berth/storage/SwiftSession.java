package dev.berth.storage;

import java.net.URI;

/**
 * A Swift token and the account URL it is valid for.
 *
 * @param token the value for {@code X-Auth-Token}
 * @param storageUrl the account URL, such as {@code http://127.0.0.1:8080/v1/AUTH_test}, without a trailing slash
 */
record SwiftSession(String token, URI storageUrl) {
    SwiftSession {
        String url = storageUrl.toString();
        if (url.endsWith("/")) {
            storageUrl = URI.create(url.substring(0, url.length() - 1));
        }
    }
}
