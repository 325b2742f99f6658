package dev.berth.config;

/** URLs as log lines may show them: a user and password written into a URL never reach a log. */
public final class LoggedUrls {
    private LoggedUrls() {}

    /** {@code url} with its user info, if any, replaced by {@code <redacted>}; null stays null. */
    public static String of(Object url) {
        return url == null ? null : ConfigKeys.maskUserInfo(url.toString());
    }
}
