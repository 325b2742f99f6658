package dev.berth.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** HTTP Basic authentication against an htpasswd file; without one, every login fails. */
public final class BasicAuthenticator implements Authenticator {
    /** The realm of the challenge; clients show it when they ask for a password. */
    public static final String REALM = "Berth";

    private final Optional<HtpasswdFile> users;
    private final Groups groups;

    public BasicAuthenticator(Optional<HtpasswdFile> users, Groups groups) {
        this.users = users;
        this.groups = groups;
    }

    @Override
    public Authentication authenticate(String authorization) {
        String trimmed = authorization.strip();
        int space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return new Authentication.NotMine();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(trimmed.substring(space + 1).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Authentication.Rejected("malformed Basic credentials");
        }
        if (decoded.equals(":")) {
            return new Authentication.Anonymous();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return new Authentication.Rejected("malformed Basic credentials");
        }
        String user = decoded.substring(0, colon);
        // One answer for an unknown user and a wrong password: the message must not tell which users exist.
        String password = decoded.substring(colon + 1);
        if (user.equals(Principal.ANONYMOUS_NAME) || users.isEmpty() || !users.get().verify(user, password)) {
            return new Authentication.Rejected("wrong user name or password for user '" + user + "'");
        }
        return new Authentication.Authenticated(groups.principal(user));
    }

    @Override
    public Challenge challenge(List<Access> needed) {
        return Challenge.basic(REALM);
    }
}
