package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig.AccessRule;
import dev.berth.config.BerthConfig.Auth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("berth.yaml"), yaml);
    }

    private static BerthConfig load(Path file, Map<String, String> env) throws ConfigException {
        return ConfigLoader.load(file, env, List.of());
    }

    private String problem(Path file, Map<String, String> env) {
        try {
            load(file, env);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void authIsOffByDefault() {
        assertThat(BerthConfig.defaults().auth()).isEmpty();
        assertThat(BerthConfig.defaults().tls()).isEmpty();
    }

    @Test
    void theIssueExampleReadsIntoTheAuthSection() throws Exception {
        BerthConfig config = load(file("""
                auth:
                  htpasswd: /etc/berth/users.htpasswd
                  anonymous-pull: false
                  token: {enabled: true, issuer: berth, expiry: 5m}
                  groups: {admins: [carol]}
                  rules:
                    - {repositories: "team-a/*", users: [alice], actions: [pull, push, delete]}
                    - {repositories: "team-a/*", users: [bob], actions: [pull]}
                    - {repositories: "**", groups: [admins], actions: [pull, push, delete, admin]}
                tls: {cert: /etc/berth/tls.crt, key: /etc/berth/tls.key, client-ca: /etc/berth/ca.crt}
                """), Map.of());
        Auth auth = config.auth().orElseThrow();
        assertThat(auth.htpasswd()).contains(Path.of("/etc/berth/users.htpasswd"));
        assertThat(auth.anonymousPull()).isFalse();
        assertThat(auth.token()).isEqualTo(new BerthConfig.Token(true, "berth", Duration.ofMinutes(5)));
        assertThat(auth.groups()).isEqualTo(Map.of("admins", List.of("carol")));
        assertThat(auth.rules()).containsExactly(
                new AccessRule("team-a/*", List.of("alice"), List.of(), List.of("pull", "push", "delete")),
                new AccessRule("team-a/*", List.of("bob"), List.of(), List.of("pull")),
                new AccessRule("**", List.of(), List.of("admins"), List.of("pull", "push", "delete", "admin")));
        assertThat(config.tls().orElseThrow()).isEqualTo(new BerthConfig.Tls(Optional.of(Path.of("/etc/berth/tls.crt")),
                Optional.of(Path.of("/etc/berth/tls.key")), Optional.of(Path.of("/etc/berth/ca.crt"))));
    }

    @Test
    void anEmptyAuthSectionSwitchesAuthOnWithEverythingDenied() throws Exception {
        assertThat(load(file("auth: {}\n"), Map.of()).auth()).contains(Auth.defaults());
        assertThat(load(file("auth:\n  # all commented out\n"), Map.of()).auth()).contains(Auth.defaults());
    }

    @Test
    void aFileWithoutAnAuthSectionLeavesAuthOff() throws Exception {
        assertThat(load(file("listen: localhost:5000\n"), Map.of()).auth()).isEmpty();
    }

    @Test
    void anyAuthVariableSwitchesAuthOnAndListsAreFlowText() throws Exception {
        BerthConfig config = load(null, Map.of("BERTH_AUTH_ANONYMOUS_PULL", "true",
                "BERTH_AUTH_GROUPS", "{ops: [dave, erin]}",
                "BERTH_AUTH_RULES", "[{repositories: \"ops/**\", groups: [ops], actions: [push]}]"));
        Auth auth = config.auth().orElseThrow();
        assertThat(auth.anonymousPull()).isTrue();
        assertThat(auth.groups()).isEqualTo(Map.of("ops", List.of("dave", "erin")));
        assertThat(auth.rules()).containsExactly(
                new AccessRule("ops/**", List.of(), List.of("ops"), List.of("push")));
    }

    @Test
    void aRuleWithAnUnknownActionIsRefusedNamingTheRuleFieldAndLine() throws Exception {
        String message = problem(file("""
                auth:
                  rules:
                    - {repositories: "a/*", users: [alice], actions: [pull]}
                    - {repositories: "b/*", users: [bob], actions: [pul]}
                """), Map.of());
        assertThat(message).contains("berth.yaml:2", "auth.rules", "rule 2", "actions", "'pul'",
                "did you mean 'pull'");
    }

    @Test
    void aRuleWithAnUnknownFieldIsRefusedWithASuggestion() throws Exception {
        assertThat(problem(file("""
                auth:
                  rules: [{repositores: "a/*", users: [alice], actions: [pull]}]
                """), Map.of())).contains("rule 1", "unknown field 'repositores'", "did you mean 'repositories'");
    }

    @Test
    void aRuleNamingNobodyOrNoRepositoriesIsRefused() throws Exception {
        assertThat(problem(file("auth: {rules: [{repositories: \"a\", actions: [pull]}]}\n"), Map.of()))
                .contains("rule 1", "names no users and no groups");
        assertThat(problem(file("auth: {rules: [{users: [alice], actions: [pull]}]}\n"), Map.of()))
                .contains("rule 1", "repositories is required");
        assertThat(problem(file("auth: {rules: [{repositories: \"A B\", users: [a], actions: [pull]}]}\n"),
                Map.of())).contains("rule 1", "not a repository glob");
    }

    @Test
    void aRuleNamingAnUndefinedGroupIsRefused() throws Exception {
        assertThat(problem(file("""
                auth:
                  groups: {admins: [carol]}
                  rules: [{repositories: "**", groups: [admin], actions: [admin]}]
                """), Map.of())).contains("rule 1", "no group 'admin'", "did you mean 'admins'");
    }

    @Test
    void groupsMustBeAMapOfLists() throws Exception {
        assertThat(problem(file("auth: {groups: [carol]}\n"), Map.of())).contains("auth.groups", "map of group names");
        assertThat(problem(null, Map.of("BERTH_AUTH_GROUPS", "{ops: [{a: b}]}"))).contains("group 'ops'");
    }

    @Test
    void tlsNeedsBothCertAndKey() throws Exception {
        assertThat(problem(file("tls: {cert: /a.crt}\n"), Map.of())).contains("tls.key: required with tls.cert");
        assertThat(problem(file("tls: {}\n"), Map.of())).contains("tls: cert and key");
    }

    @Test
    void tokenExpiryMustBePositive() throws Exception {
        assertThat(problem(file("auth: {token: {expiry: 0s}}\n"), Map.of())).contains("auth.token.expiry");
    }

    @Test
    void everyTokenKeyReadsIntoTheTokenSettings() throws Exception {
        BerthConfig config = load(file("""
                auth:
                  token:
                    enabled: true
                    issuer: auth.example
                    expiry: 10m
                    service: registry.example
                    realm: https://auth.example/token/
                    key: /etc/berth/token.pem
                    algorithm: eddsa
                  login-limit: {failures: 5, window: 30s}
                """), Map.of());
        Auth auth = config.auth().orElseThrow();
        assertThat(auth.token()).isEqualTo(new BerthConfig.Token(true, "auth.example", Duration.ofMinutes(10),
                "registry.example", "https://auth.example/token", Optional.of(Path.of("/etc/berth/token.pem")),
                BerthConfig.TokenAlgorithm.EDDSA, ""));
        assertThat(auth.loginLimit()).isEqualTo(new BerthConfig.LoginLimit(5, Duration.ofSeconds(30)));
        assertThat(Auth.defaults().loginLimit()).isEqualTo(new BerthConfig.LoginLimit(10, Duration.ofMinutes(1)));
    }

    @Test
    void badTokenAndLoginLimitValuesNameTheirKey() throws Exception {
        assertThat(problem(file("auth: {token: {algorithm: HS256}}\n"), Map.of()))
                .contains("auth.token.algorithm").contains("ES256 or EdDSA");
        assertThat(problem(file("auth: {token: {jwks: not-a-url}}\n"), Map.of())).contains("auth.token.jwks");
        assertThat(problem(file("auth: {login-limit: {failures: 0}}\n"), Map.of()))
                .contains("auth.login-limit.failures");
        assertThat(problem(file("auth: {login-limit: {window: 0s}}\n"), Map.of())).contains("auth.login-limit.window");
    }

    @Test
    void anExternalIssuerNeedsItsRealmAndNoKeyOfOurOwn() throws Exception {
        assertThat(problem(file("auth: {token: {enabled: true, jwks: \"https://a.example/token/jwks\"}}\n"),
                Map.of())).contains("auth.token.realm: required with auth.token.jwks");
        assertThat(problem(file("auth: {token: {enabled: true, jwks: \"https://a.example/jwks\","
                + " realm: \"https://a.example/token\", key: /k.pem}}\n"), Map.of())).contains("auth.token.key");
        BerthConfig config = load(file("auth: {token: {enabled: true, jwks: \"https://a.example/jwks\","
                + " realm: \"https://a.example/token\"}}\n"), Map.of());
        assertThat(config.auth().orElseThrow().token().jwks()).isEqualTo("https://a.example/jwks");
    }
}
