package dev.berth.auth;

import dev.berth.auth.token.ResourceScope;
import dev.berth.registry.Site;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP Basic authentication against an htpasswd file (without one, every login fails), with failed logins
 * throttled per client address.
 */
public final class BasicAuthenticator implements Authenticator {
    /** The realm of the challenge; clients show it when they ask for a password. */
    public static final String REALM = "Berth";

    private final Optional<HtpasswdFile> users;
    private final Groups groups;
    private final LoginThrottle throttle;

    public BasicAuthenticator(Optional<HtpasswdFile> users, Groups groups, LoginThrottle throttle) {
        this.users = users;
        this.groups = groups;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(String authorization, String clientAddress) {
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
            return failed(clientAddress, "malformed Basic credentials");
        }
        if (decoded.equals(":")) {
            return new Authentication.Anonymous();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return failed(clientAddress, "malformed Basic credentials");
        }
        return login(decoded.substring(0, colon), decoded.substring(colon + 1), clientAddress);
    }

    /** Checks {@code user}'s {@code password}, unless {@code clientAddress} failed too often lately. */
    public Authentication login(String user, String password, String clientAddress) {
        Optional<Duration> wait = throttle.blocked(clientAddress);
        if (wait.isPresent()) {
            return new Authentication.Throttled(wait.get());
        }
        // One answer for an unknown user and a wrong password: the message must not tell which users exist.
        if (user.equals(Principal.ANONYMOUS_NAME) || users.isEmpty() || !users.get().verify(user, password)) {
            return failed(clientAddress, "wrong user name or password for user '" + user + "'");
        }
        return new Authentication.Authenticated(groups.principal(user));
    }

    /** Whether {@code user} is still in the htpasswd file: a refresh token of a removed user is refused. */
    public boolean exists(String user) {
        return users.isPresent() && users.get().hasUser(user);
    }

    private Authentication failed(String clientAddress, String reason) {
        throttle.failed(clientAddress);
        return new Authentication.Rejected(reason);
    }

    @Override
    public Challenge challenge(Site site, List<ResourceScope> needed, Optional<String> error) {
        return Challenge.basic(REALM);
    }
}
