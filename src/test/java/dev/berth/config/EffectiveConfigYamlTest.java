package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffectiveConfigYamlTest {
    @TempDir
    Path dir;

    /** A valid file that sets every key, with values YAML could misread if they were written carelessly. */
    private static final String EVERY_KEY = """
            listen: "[::1]:5000"
            public-url: https://registry.example.com/base
            storage:
              driver: s3
              filesystem: {root: "/srv/berth data/#1"}
              s3:
                endpoint: http://127.0.0.1:9000
                region: eu-west-1
                bucket: registry
                prefix: a/b
                access-key: "null"
                secret-key: "s3cr3t: with # and \\"quotes\\""
                path-style: true
              swift:
                auth-url: https://keystone.example.com/v3
                user: "tenant:user"
                key: "~"
                password: "pa ss"
                project: "true"
                domain: "'Default'"
                region: RegionOne
                container: "*"
            limits: {manifest-size: 1536}
            validation: {sparse-index: allow}
            delete: {enabled: false}
            lifecycle:
              gc: {schedule: 90m, grace: 1500ms, delete-untagged: true}
              uploads: {expire-after: 48h}
              tags: {expire-after: 30d}
              retention:
                - {repositories: "ci/**", keep-last: 0, keep-matching: "^v[0-9]+(,|\\\\.)\\"q\\": #x$"}
                - {repositories: "tmp/*", delete-untagged-after: 7d}
            verify-on-read: {policy: always, rate: 0.0001}
            auth:
              htpasswd: /etc/berth/users.htpasswd
              anonymous-pull: true
              token:
                enabled: true
                issuer: "issuer #1"
                expiry: 15m
                service: registry.example.com
                realm: https://registry.example.com/token
                key: /etc/berth/token.key
                algorithm: EdDSA
                jwks: ""
              groups: {admins: [carol, "null"], "#ops": ["[x]"]}
              rules:
                - {repositories: "team-a/**", users: [alice], groups: [admins, "#ops"], actions: [pull, push]}
                - {repositories: "*", users: [anonymous], actions: [pull], namespace: "*"}
              login-limit: {failures: 3, window: 5m}
            notifications:
              endpoints:
                - {name: audit, url: "https://hooks.example.com/r?a=1&b=2", headers: {Authorization: [Bearer t0k3n]},
                   timeout: 2s, threshold: 5, backoff: 2s, max-backoff: 2m, queue-size: 10,
                   repositories: ["team-a/**"], actions: [push, delete], ignoredmediatypes: [text/plain],
                   ignore: {actions: [pull]}, disabled: true}
            shutdown: {timeout: 2m}
            tls: {cert: /etc/berth/tls.crt, key: /etc/berth/tls.key, client-ca: /etc/berth/ca.crt}
            namespaces:
              - {name: team-a, hosts: [a.registry.example.com], public-url: "https://a.registry.example.com"}
              - {name: team-b, prefix: team-b}
            admin: {listen: "127.0.0.1:5001", metrics: false, readiness-timeout: 5s, readiness-cache: 0s}
            log: {format: json, access: false, level: debug}
            """;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    /** The lines of {@code yaml} stripped, with the padding before each comment cut to one space. */
    private static List<String> lines(String yaml) {
        return yaml.lines().map(line -> line.strip().replaceAll(" {2,}# ", " # ")).toList();
    }

    private static TracedConfig load(Path file) throws ConfigException {
        return ConfigLoader.loadTraced(file, Map.of(), List.of());
    }

    @Test
    void theDefaultsWrittenOutLoadAsTheDefaults() throws Exception {
        String yaml = EffectiveConfigYaml.render(ConfigLoader.loadTraced(null, Map.of(), List.of()), true);
        assertThat(load(write("out.yaml", yaml)).config()).isEqualTo(BerthConfig.defaults());
        assertThat(lines(yaml)).contains("listen: localhost:5000 # default", "driver: filesystem # default");
    }

    @Test
    void aFileSettingEveryKeyIsWrittenOutAndLoadsBackTheSame() throws Exception {
        TracedConfig traced = load(write("berth.yaml", EVERY_KEY));
        assertThat(traced.origins().keySet())
                .containsAll(ConfigKeys.ALL.stream().map(ConfigKey::path).toList());
        String yaml = EffectiveConfigYaml.render(traced, false);
        assertThat(load(write("out.yaml", yaml)).config()).isEqualTo(traced.config());
    }

    @Test
    void absentSectionsAreWrittenAsCommentsSoTheyStayAbsent() throws Exception {
        TracedConfig traced = load(write("berth.yaml", "listen: 0.0.0.0:5000\n"));
        String yaml = EffectiveConfigYaml.render(traced, true);
        assertThat(yaml).contains("# auth is absent, so it is off; its keys, at their defaults:\n# auth:\n"
                + "#   htpasswd: \"\"")
                .contains("# tls is absent, so it is off");
        BerthConfig reloaded = load(write("out.yaml", yaml)).config();
        assertThat(reloaded.auth()).isEmpty();
        assertThat(reloaded.tls()).isEmpty();
    }

    @Test
    void eachValueSaysWhereItCameFromAndWhatItOverrode() throws Exception {
        Path file = write("berth.yaml", """
                listen: 0.0.0.0:5000
                storage:
                  driver: memory
                auth: {}
                delete: {enabled: false}
                """);
        TracedConfig traced = ConfigLoader.loadTraced(file, Map.of("BERTH_STORAGE_DRIVER", "filesystem",
                "BERTH_LOG_LEVEL", "debug"), List.of(new Setting("listen", "127.0.0.1:0", "option --listen")));
        String yaml = EffectiveConfigYaml.render(traced, true);
        assertThat(lines(yaml)).contains(
                "listen: 127.0.0.1:0 # option --listen (over " + file + ":1)",
                "driver: filesystem # environment variable BERTH_STORAGE_DRIVER (over " + file + ":3)",
                "enabled: false # " + file + ":5",
                "level: debug # environment variable BERTH_LOG_LEVEL",
                "auth: # on: " + file + ":4",
                "root: ./data # default");
    }

    @Test
    void aSectionSwitchedOnByOneOfItsKeysSaysSo() throws Exception {
        TracedConfig traced = ConfigLoader.loadTraced(null, Map.of("BERTH_AUTH_ANONYMOUS_PULL", "true"), List.of());
        String yaml = EffectiveConfigYaml.render(traced, true);
        assertThat(lines(yaml)).contains("auth: # on: keys below are set",
                "anonymous-pull: true # environment variable BERTH_AUTH_ANONYMOUS_PULL");
    }

    @Test
    void secretsAreRedactedAndTheRestIsWrittenAsItIs() throws Exception {
        TracedConfig traced = load(write("berth.yaml", EVERY_KEY));
        String yaml = EffectiveConfigYaml.render(traced, true);
        assertThat(yaml).doesNotContain("s3cr3t", "t0k3n", "pa ss")
                .contains("secret-key: \"<redacted>\"", "password: \"<redacted>\"", "key: \"<redacted>\"",
                        "headers: {Authorization: [\"<redacted>\"]}", "access-key: \"null\"",
                        "user: tenant:user", "rate: 0.0001");
        // Unset secrets stay empty, so that they read as unset.
        assertThat(EffectiveConfigYaml.render(ConfigLoader.loadTraced(null, Map.of(), List.of()), true))
                .contains("secret-key: \"\"").doesNotContain("<redacted>\"");
    }
}
