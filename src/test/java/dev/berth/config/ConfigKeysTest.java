package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
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
