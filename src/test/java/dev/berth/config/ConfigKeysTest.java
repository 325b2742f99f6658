package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig.AccessRule;
import dev.berth.config.BerthConfig.Auth;
import dev.berth.config.BerthConfig.RetentionRule;
import dev.berth.config.BerthConfig.Tls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigKeysTest {

    @Test
    void everyKeyIsLowerCaseDottedKebabWithADescription() {
        assertThat(ConfigKeys.ALL).allSatisfy(key -> {
            assertThat(key.path()).matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
            assertThat(key.description()).isNotBlank().doesNotContain("\n");
        });
    }

    @Test
    void everyKeyHasItsOwnVariableApartFromTheLaunchers() {
        List<String> names = ConfigKeys.ALL.stream().map(ConfigKey::envName).toList();
        assertThat(names).doesNotHaveDuplicates().doesNotContainAnyElementsOf(ConfigKeys.LAUNCHER_VARIABLES);
    }

    @Test
    void noKeyIsAlsoASection() {
        assertThat(ConfigKeys.ALL).noneMatch(key -> ConfigKeys.isSection(key.path()));
        assertThat(ConfigKeys.isSection("storage")).isTrue();
        assertThat(ConfigKeys.isSection("storage.filesystem")).isTrue();
        assertThat(ConfigKeys.isSection("stor")).isFalse();
    }

    @Test
    void everyDefaultValueCanBeWrittenBackThroughItsKey() {
        // Each binder must leave the rest of the tree alone: binding a key's default text changes nothing.
        BerthConfig defaults = BerthConfig.defaults();
        List<String> texts = List.of("localhost:5000", "", "filesystem", "./data",
                "", "us-east-1", "berth", "", "", "", "false",
                "", "", "", "", "", "Default", "", "berth",
                "4MiB", "reject", "true",
                "off", "1h", "false", "24h", "off", "", "sample", "0.01",
                "", "false", "false", "berth", "5m", "berth", "", "", "ES256", "", "", "", "10", "1m",
                "", "30s",
                "", "", "", "",
                "", "true", "2s", "1s", "text", "true", "info");
        assertThat(ConfigKeys.ALL).hasSameSizeAs(texts);
        for (int i = 0; i < texts.size(); i++) {
            ConfigKey key = ConfigKeys.ALL.get(i);
            // A key of a switched section switches it on, with the section's defaults.
            BerthConfig expected = key.path().startsWith("auth.")
                    ? defaults.withAuth(Optional.of(BerthConfig.Auth.defaults()))
                    : key.path().startsWith("tls.") ? defaults.withTls(Optional.of(BerthConfig.Tls.defaults()))
                    : defaults;
            assertThat(key.binder().bind(defaults, texts.get(i))).as(key.path()).isEqualTo(expected);
        }
    }

    /** {@code config} with the switched section that {@code key} belongs to switched on, as binding it does. */
    private static BerthConfig withSectionOf(ConfigKey key, BerthConfig config) {
        return key.path().startsWith("auth.") ? config.withAuth(Optional.of(config.auth().orElseGet(Auth::defaults)))
                : key.path().startsWith("tls.") ? config.withTls(Optional.of(config.tls().orElseGet(Tls::defaults)))
                : config;
    }

    /** The defaults with every key's example bound: a configuration in which no key has its default. */
    private static BerthConfig everyExample() {
        BerthConfig config = BerthConfig.defaults();
        for (ConfigKey key : ConfigKeys.ALL) {
            config = key.binder().bind(config, key.example());
        }
        return config;
    }

    @Test
    void everyKeyReadsTheDefaultsAsTextThatBindsBackToThem() {
        BerthConfig defaults = BerthConfig.defaults();
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(key.binder().bind(defaults, key.read(defaults))).as(key.path())
                    .isEqualTo(withSectionOf(key, defaults));
        }
    }

    @Test
    void everyExampleIsAcceptedAndIsNotTheDefault() {
        BerthConfig defaults = BerthConfig.defaults();
        for (ConfigKey key : ConfigKeys.ALL) {
            BerthConfig set = key.binder().bind(defaults, key.example());
            assertThat(key.read(set)).as(key.path()).isNotEqualTo(key.read(defaults));
        }
    }

    @Test
    void everyKeyReadsItsOwnValueAndNoOther() {
        // Setting one key changes what that key reads and nothing any other key reads: a reader wired to the
        // wrong field, or a binder that touches a neighbour, fails here.
        BerthConfig defaults = BerthConfig.defaults();
        for (ConfigKey key : ConfigKeys.ALL) {
            BerthConfig set = key.binder().bind(defaults, key.example());
            for (ConfigKey other : ConfigKeys.ALL) {
                if (other != key) {
                    assertThat(other.read(set)).as(key.path() + " set, " + other.path() + " read")
                            .isEqualTo(other.read(defaults));
                }
            }
            assertThat(key.binder().bind(defaults, key.read(set))).as(key.path()).isEqualTo(set);
        }
    }

    @Test
    void aConfigurationWithNoKeyAtItsDefaultIsRebuiltFromWhatItsKeysRead() {
        BerthConfig original = everyExample();
        BerthConfig rebuilt = BerthConfig.defaults();
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(key.binder().bind(original, key.read(original))).as(key.path()).isEqualTo(original);
            rebuilt = key.binder().bind(rebuilt, key.read(original));
        }
        assertThat(rebuilt).isEqualTo(original);
    }

    @Test
    void valuesWithCharactersYamlWouldMisreadReadBackAsTheyWere() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("#ops", List.of("null", "[x]", "\"a\"", "&b", "*c", "d,e", "100", "true", "~", "f'g", "h\\i"));
        groups.put("NULL", List.of());
        List<AccessRule> rules = List.of(new AccessRule("*", List.of("!x", "y{z}"), List.of("#ops"), List.of("pull"),
                "*"));
        List<RetentionRule> retention = List.of(new RetentionRule("ci/**", OptionalInt.of(0),
                Optional.of("^v[0-9]+(,|\\.)\"q\": #x$"), Optional.of(Duration.ofMillis(1500))));
        BerthConfig config = BerthConfig.defaults()
                .withAuth(Optional.of(Auth.defaults().withGroups(groups).withRules(rules)))
                .withLifecycle(BerthConfig.defaults().lifecycle().withRetention(retention));
        BerthConfig rebuilt = BerthConfig.defaults();
        for (String path : List.of("auth.groups", "auth.rules", "lifecycle.retention")) {
            rebuilt = bind(rebuilt, path, ConfigKeys.find(path).orElseThrow().read(config));
        }
        assertThat(rebuilt).isEqualTo(config);
    }

    @Test
    void exactlyTheDeclaredKeysAreSecret() {
        assertThat(ConfigKeys.ALL.stream().filter(ConfigKey::isSecret).map(ConfigKey::path)).containsExactly(
                "storage.s3.endpoint", "storage.s3.secret-key", "storage.swift.auth-url", "storage.swift.key",
                "storage.swift.password", "auth.token.realm", "auth.token.jwks", "notifications.endpoints");
        assertThat(ConfigKeys.SWITCHED_SECTIONS).noneMatch(ConfigKey::isSecret);
    }

    @Test
    void noSecretIsShownAndEverythingElseIsShownAsItIs() {
        BerthConfig config = BerthConfig.defaults();
        config = bind(config, "storage.s3.endpoint", "http://s3user:SECRET-1@127.0.0.1:9000");
        config = bind(config, "storage.s3.secret-key", "SECRET-2");
        config = bind(config, "storage.swift.auth-url", "https://SECRET-3@keystone.example.com/v3");
        config = bind(config, "storage.swift.key", "SECRET-4");
        config = bind(config, "storage.swift.password", "SECRET-5");
        config = bind(config, "auth.token.realm", "https://u:SECRET-6@auth.example.com/token?x=a@b");
        config = bind(config, "auth.token.jwks", "https://u:SECRET-7@auth.example.com/jwks");
        config = bind(config, "notifications.endpoints", "[{name: a, url: \"https://u:SECRET-8@hooks.example.com/\","
                + " headers: {Authorization: [Bearer SECRET-9, SECRET-10], X-Token: SECRET-11}}]");
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(key.shown(config)).as(key.path()).doesNotContain("SECRET");
            if (!key.isSecret()) {
                assertThat(key.shown(config)).as(key.path()).isEqualTo(key.read(config));
            }
        }
        assertThat(ConfigKeys.find("storage.s3.endpoint").orElseThrow().shown(config))
                .isEqualTo("http://<redacted>@127.0.0.1:9000");
        assertThat(ConfigKeys.find("auth.token.realm").orElseThrow().shown(config))
                .isEqualTo("https://<redacted>@auth.example.com/token?x=a@b");
        assertThat(ConfigKeys.find("notifications.endpoints").orElseThrow().shown(config))
                .contains("url: \"https://<redacted>@hooks.example.com/\"")
                .contains("headers: {Authorization: [\"<redacted>\", \"<redacted>\"], X-Token: [\"<redacted>\"]}")
                .contains("name: a");
    }

    @Test
    void anUnsetSecretIsShownEmptySoItReadsAsUnset() {
        BerthConfig defaults = BerthConfig.defaults();
        assertThat(ConfigKeys.find("storage.s3.secret-key").orElseThrow().shown(defaults)).isEmpty();
        assertThat(ConfigKeys.find("storage.s3.endpoint").orElseThrow().shown(defaults)).isEmpty();
        assertThat(ConfigKeys.find("notifications.endpoints").orElseThrow().shown(defaults)).isEqualTo("[]");
    }

    private static BerthConfig bind(BerthConfig config, String path, String value) {
        return ConfigKeys.find(path).orElseThrow().binder().bind(config, value);
    }

    @ParameterizedTest
    @CsvSource({
        "lisen, listen",
        "Listen, listen",
        "publicurl, public-url",
        "storage.filesytem, storage.filesystem",
        "storage.filesystem.rot, storage.filesystem.root",
        "root, storage.filesystem.root",
        "manifest-size, limits.manifest-size",
        "delete.enable, delete.enabled"})
    void suggestsTheKeyATypoWasMeantToBe(String wrong, String meant) {
        assertThat(ConfigKeys.suggest(wrong, ConfigKeys.fileNames())).contains(meant);
    }

    @Test
    void suggestsNothingForNamesFarFromAnyKey() {
        assertThat(ConfigKeys.suggest("zzzz", ConfigKeys.fileNames())).isEmpty();
        assertThat(ConfigKeys.suggest("BERTH_HOME", ConfigKeys.envNames())).isEmpty();
    }
}
