package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig.Delete;
import dev.berth.config.BerthConfig.Filesystem;
import dev.berth.config.BerthConfig.Limits;
import dev.berth.config.BerthConfig.SparseIndexPolicy;
import dev.berth.config.BerthConfig.Storage;
import dev.berth.config.BerthConfig.StorageDriver;
import dev.berth.config.BerthConfig.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("berth.yaml"), yaml);
    }

    private static List<Setting> listenFlag(String value) {
        return List.of(new Setting("listen", value, "option --listen"));
    }

    /** The one problem loading reports; its message starts with the full path of the test's file. */
    private String problemWith(Path file, Map<String, String> env, List<Setting> flags) {
        try {
            ConfigLoader.load(file, env, flags);
        } catch (ConfigException e) {
            assertThat(e.problems()).hasSize(1);
            return e.getMessage().replace(dir.resolve("berth.yaml").toString(), "berth.yaml");
        }
        throw new AssertionError("expected a ConfigException");
    }

    private String fileProblem(String yaml) throws IOException {
        return problemWith(file(yaml), Map.of(), List.of());
    }

    // ---- defaults and sources

    @Test
    void nothingConfiguredGivesTheDefaults() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of(), List.of())).isEqualTo(BerthConfig.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "---\n", "storage:\n  # driver: memory\n"})
    void emptyFileOrEmptySectionConfiguresNothing(String yaml) throws Exception {
        assertThat(ConfigLoader.load(file(yaml), Map.of(), List.of())).isEqualTo(BerthConfig.defaults());
    }

    @Test
    void fileSetsEveryKey() throws Exception {
        Path file = file("""
                listen: 0.0.0.0:5001
                public-url: "https://registry.example.com/"
                storage:
                  driver: memory
                  filesystem: {root: /srv/berth}
                limits: {manifest-size: 512KiB}
                validation: {sparse-index: allow}
                delete: {enabled: false}
                """);
        assertThat(ConfigLoader.load(file, Map.of(), List.of())).isEqualTo(new BerthConfig(
                "0.0.0.0:5001", "https://registry.example.com",
                new Storage(StorageDriver.MEMORY, new Filesystem(Path.of("/srv/berth"))),
                new Limits(512 * 1024), new Validation(SparseIndexPolicy.ALLOW), new Delete(false),
                BerthConfig.defaults().lifecycle(), BerthConfig.defaults().verifyOnRead(), Optional.empty(),
                Optional.empty(), List.of(), BerthConfig.defaults().notifications(), BerthConfig.defaults().shutdown(),
                BerthConfig.defaults().admin(), BerthConfig.defaults().log()));
    }

    @Test
    void valuesReachTheKeysAsWrittenNotAsYamlTypes() throws Exception {
        Path file = file("""
                limits: {manifest-size: 1024}
                delete: {enabled: false}
                listen: "localhost:5002"
                """);
        BerthConfig config = ConfigLoader.load(file, Map.of(), List.of());
        assertThat(config.limits().manifestSize()).isEqualTo(1024);
        assertThat(config.delete().enabled()).isFalse();
        assertThat(config.listen()).isEqualTo("localhost:5002");
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path file = file("listen: file:1\n");
        Map<String, String> env = Map.of("BERTH_LISTEN", "env:2");

        assertThat(ConfigLoader.load(null, Map.of(), List.of()).listen()).isEqualTo("localhost:5000");
        assertThat(ConfigLoader.load(file, Map.of(), List.of()).listen()).isEqualTo("file:1");
        assertThat(ConfigLoader.load(file, env, List.of()).listen()).isEqualTo("env:2");
        assertThat(ConfigLoader.load(file, env, listenFlag("flag:3")).listen()).isEqualTo("flag:3");
        assertThat(ConfigLoader.load(null, Map.of(), listenFlag("flag:3")).listen()).isEqualTo("flag:3");
    }

    @Test
    void precedenceIsPerKeySoSourcesCombine() throws Exception {
        Path file = file("""
                listen: file:1
                storage: {filesystem: {root: /from/file}}
                delete: {enabled: false}
                """);
        BerthConfig config = ConfigLoader.load(file,
                Map.of("BERTH_STORAGE_FILESYSTEM_ROOT", "/from/env"), listenFlag("flag:3"));
        assertThat(config.listen()).isEqualTo("flag:3");
        assertThat(config.storage().filesystem().root()).isEqualTo(Path.of("/from/env"));
        assertThat(config.delete().enabled()).isFalse();
        assertThat(config.validation()).isEqualTo(BerthConfig.defaults().validation());
    }

    @Test
    void environmentNamesAreThePathUpperCasedWithDotsAndDashesAsUnderscores() throws Exception {
        BerthConfig config = ConfigLoader.load(null, Map.of(
                "BERTH_LISTEN", "[::1]:6000",
                "BERTH_PUBLIC_URL", "http://localhost:6000",
                "BERTH_STORAGE_DRIVER", "memory",
                "BERTH_STORAGE_FILESYSTEM_ROOT", "/env/root",
                "BERTH_LIMITS_MANIFEST_SIZE", "1MiB",
                "BERTH_VALIDATION_SPARSE_INDEX", "allow",
                "BERTH_DELETE_ENABLED", "false"), List.of());
        assertThat(config).isEqualTo(new BerthConfig("[::1]:6000", "http://localhost:6000",
                new Storage(StorageDriver.MEMORY, new Filesystem(Path.of("/env/root"))),
                new Limits(1024 * 1024), new Validation(SparseIndexPolicy.ALLOW), new Delete(false),
                BerthConfig.defaults().lifecycle(), BerthConfig.defaults().verifyOnRead(), Optional.empty(),
                Optional.empty(), List.of(), BerthConfig.defaults().notifications(), BerthConfig.defaults().shutdown(),
                BerthConfig.defaults().admin(), BerthConfig.defaults().log()));
        assertThat(ConfigKeys.find("limits.manifest-size").orElseThrow().envName())
                .isEqualTo("BERTH_LIMITS_MANIFEST_SIZE");
    }

    @Test
    void otherVariablesAndTheLaunchersOwnArePassedOver() throws Exception {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "BERTH_JAVA", "/opt/jdk/bin/java",
                "BERTH_JAVA_OPTS", "-Xmx1g", "BERTHA", "x", "berth_listen", "nowhere");
        assertThat(ConfigLoader.load(null, env, List.of())).isEqualTo(BerthConfig.defaults());
    }

    @Test
    void aRelativeRootStaysRelativeToTheWorkingDirectoryNotTheFile() throws Exception {
        Path file = file("storage: {filesystem: {root: ./blobs}}\n");
        Path root = ConfigLoader.load(file, Map.of(), List.of()).storage().filesystem().root();
        assertThat(root).isEqualTo(Path.of("./blobs"));
        assertThat(root.toAbsolutePath()).isEqualTo(Path.of("").toAbsolutePath().resolve("./blobs"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"public-url:\n", "public-url: \"\"\n", "public-url: ~\n"})
    void anEmptyPublicUrlMeansFromEachRequest(String yaml) throws Exception {
        assertThat(ConfigLoader.load(file(yaml), Map.of(), List.of()).publicUrl()).isEmpty();
    }

    // ---- bad input in the file: named by file, line and key

    @Test
    void unknownKeyInFileNamesLineAndSuggests() throws IOException {
        assertThat(fileProblem("""
                listen: localhost:5000
                storage:
                  filesytem: {root: ./data}
                """)).isEqualTo("berth.yaml:3: unknown key 'storage.filesytem' (did you mean 'storage.filesystem'?)");
    }

    @Test
    void keyAtTheWrongLevelSuggestsItsFullPath() throws IOException {
        assertThat(fileProblem("root: /srv\n"))
                .isEqualTo("berth.yaml:1: unknown key 'root' (did you mean 'storage.filesystem.root'?)");
    }

    @Test
    void unknownKeyFarFromAnyGivesNoSuggestion() throws IOException {
        assertThat(fileProblem("\n\nauthentication: {}\n")).isEqualTo("berth.yaml:3: unknown key 'authentication'");
    }

    @Test
    void badValueInFileNamesLineKeyAndForm() throws IOException {
        assertThat(fileProblem("""
                listen: localhost:5000
                # a comment
                limits: {manifest-size: 4 megs}
                """)).isEqualTo(
                "berth.yaml:3: limits.manifest-size: '4 megs' is not a size (write e.g. 512KiB, 4MiB)");
    }

    @Test
    void listWhereAMapBelongsIsNamed() throws IOException {
        assertThat(fileProblem("listen: localhost:5000\nstorage:\n  - memory\n"))
                .isEqualTo("berth.yaml:2: storage: expected a map of keys, found a list");
    }

    @Test
    void valueWhereAMapBelongsIsNamed() throws IOException {
        assertThat(fileProblem("limits: 4MiB\n"))
                .isEqualTo("berth.yaml:1: limits: expected a map of keys, found the value '4MiB'");
    }

    @Test
    void mapWhereAValueBelongsIsNamed() throws IOException {
        assertThat(fileProblem("listen:\n  host: localhost\n  port: 5000\n"))
                .isEqualTo("berth.yaml:1: listen: expected a single value, found a map");
    }

    @Test
    void topLevelThatIsNotAMapIsNamed() throws IOException {
        assertThat(fileProblem("- listen\n"))
                .startsWith("berth.yaml:1: expected keys such as 'listen: localhost:5000' at the top, found a list");
    }

    @Test
    void keyGivenTwiceIsNamedWithBothLines() throws IOException {
        assertThat(fileProblem("listen: a:1\ndelete: {enabled: true}\nlisten: b:2\n"))
                .isEqualTo("berth.yaml:3: listen is given twice (first on line 1)");
    }

    @Test
    void dottedKeysMayStandForNestedOnes() throws Exception {
        Path file = file("storage.filesystem.root: /srv\nstorage.driver: memory\nlimits: {manifest-size: 1KiB}\n");
        BerthConfig config = ConfigLoader.load(file, Map.of(), List.of());
        assertThat(config.storage()).isEqualTo(new Storage(StorageDriver.MEMORY, new Filesystem(Path.of("/srv"))));
        assertThat(config.limits().manifestSize()).isEqualTo(1024);
    }

    @Test
    void keyGivenTwiceOnceDottedOnceNestedIsNamed() throws IOException {
        assertThat(fileProblem("storage:\n  driver: memory\nstorage.driver: filesystem\n"))
                .isEqualTo("berth.yaml:3: storage.driver is given twice (first on line 2)");
    }

    @Test
    void yamlSyntaxErrorGivesFileAndLine() throws IOException {
        assertThat(fileProblem("listen: localhost:5000\ndelete: {enabled: true\nlimits: {}\n"))
                .isEqualTo("berth.yaml:3: YAML syntax error: expected ',' or '}', but got :"
                        + " (while parsing a flow mapping)");
        assertThat(fileProblem("listen: localhost:5000\n\tdelete: x\n"))
                .startsWith("berth.yaml:2: YAML syntax error: ");
    }

    @Test
    void fileThatIsNotUtf8OrNotAFileIsNamed() throws IOException {
        Path file = Files.write(dir.resolve("berth.yaml"), new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
        assertThat(problemWith(file, Map.of(), List.of())).isEqualTo("berth.yaml: not UTF-8 text");
        Files.delete(file);
        Files.createDirectory(file);
        assertThat(problemWith(file, Map.of(), List.of())).startsWith("berth.yaml: cannot read: ");
    }

    @Test
    void missingFileIsNamed() {
        assertThat(problemWith(dir.resolve("berth.yaml"), Map.of(), List.of()))
                .isEqualTo("berth.yaml: no such configuration file");
    }

    // ---- bad input in the environment and flags: named by variable or option, and key

    @Test
    void unknownBerthVariableStopsStartUpAndSuggests() {
        assertThat(problemWith(null, Map.of("BERTH_STORAGE_FILESYSTEM_ROT", "/x"), List.of())).isEqualTo(
                "environment variable BERTH_STORAGE_FILESYSTEM_ROT: matches no configuration key"
                        + " (did you mean 'BERTH_STORAGE_FILESYSTEM_ROOT'?)");
    }

    @Test
    void badValueInEnvironmentNamesVariableAndKey() {
        assertThat(problemWith(null, Map.of("BERTH_LIMITS_MANIFEST_SIZE", "4 megs"), List.of())).isEqualTo(
                "environment variable BERTH_LIMITS_MANIFEST_SIZE: limits.manifest-size:"
                        + " '4 megs' is not a size (write e.g. 512KiB, 4MiB)");
    }

    @Test
    void badValueInFlagNamesOptionAndKey() {
        assertThat(problemWith(null, Map.of(), listenFlag("nowhere"))).isEqualTo(
                "option --listen: listen: 'nowhere' is not HOST:PORT"
                        + " (write e.g. localhost:5000, 0.0.0.0:5000, [::1]:5000)");
    }

    @Test
    void everyProblemIsReportedAtOnceEvenInOverriddenValues() throws IOException {
        Path file = file("listen: nowhere\nstorage: {drive: memory}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file,
                Map.of("BERTH_LISTEN", "localhost:1", "BERTH_DELETE_ENABLED", "yes"), listenFlag("localhost:2")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        file + ":2: unknown key 'storage.drive' (did you mean 'storage.driver'?)",
                        file + ":1: listen: 'nowhere' is not HOST:PORT"
                                + " (write e.g. localhost:5000, 0.0.0.0:5000, [::1]:5000)",
                        "environment variable BERTH_DELETE_ENABLED: delete.enabled: 'yes' is not true or false"));
    }

    @Test
    void adminAndLogKeysAreReadFromTheFile() throws Exception {
        Path file = file("""
                admin: {listen: "127.0.0.1:5001", metrics: false, readiness-timeout: 5s, readiness-cache: 0s}
                log: {format: json, access: false, level: debug}
                """);
        BerthConfig config = ConfigLoader.load(file, Map.of(), List.of());
        assertThat(config.admin()).isEqualTo(new BerthConfig.Admin(Optional.of("127.0.0.1:5001"), false,
                java.time.Duration.ofSeconds(5), java.time.Duration.ZERO));
        assertThat(config.log()).isEqualTo(new BerthConfig.Log(BerthConfig.LogFormat.JSON, false,
                BerthConfig.LogLevel.DEBUG));
    }

    @Test
    void badAdminAndLogValuesNameTheirKeyAndLine() throws Exception {
        Path file = file("""
                log:
                  format: xml
                admin:
                  listen: everywhere
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        file + ":2: log.format: 'xml' is not one of: text, json",
                        file + ":4: admin.listen: 'everywhere' is not HOST:PORT"
                                + " (write e.g. localhost:5000, 0.0.0.0:5000, [::1]:5000)"));
    }

    @Test
    void theAdminListenerCannotShareTheMainListenersAddress() throws Exception {
        Path file = file("listen: 0.0.0.0:5000\nadmin: {listen: 0.0.0.0:5000}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("admin.listen: 0.0.0.0:5000 is the main listener's address too"));
    }

    // ---- the values each key takes

    @ParameterizedTest
    @ValueSource(strings = {"localhost:5000", "0.0.0.0:0", "127.0.0.1:65535", "[::1]:5000", "[::]:80",
            "registry.internal:443"})
    void listenTakesHostAndPort(String value) throws Exception {
        assertThat(ConfigLoader.load(null, Map.of(), listenFlag(value)).listen()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5000", ":5000", "localhost", "localhost:", "localhost:http", "::1:5000",
            "local host:5000", "localhost:65536", ""})
    void listenRejectsAnythingElse(String value) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), listenFlag(value)))
                .hasMessageStartingWith("option --listen: listen: '" + value + "'");
    }

    @ParameterizedTest
    @CsvSource({"https://r.example.com, https://r.example.com", "http://r.example.com:8080/, http://r.example.com:8080",
            "https://example.com/registry//, https://example.com/registry"})
    void publicUrlIsKeptWithoutTrailingSlash(String value, String expected) throws Exception {
        assertThat(ConfigLoader.load(null, Map.of("BERTH_PUBLIC_URL", value), List.of()).publicUrl())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry.example.com", "ftp://example.com", "https://", "https://example.com/?a=b",
            "https://user@example.com", "https://example.com/#x"})
    void publicUrlRejectsWhatCannotBeABase(String value) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("BERTH_PUBLIC_URL", value), List.of()))
                .hasMessageStartingWith("environment variable BERTH_PUBLIC_URL: public-url: '" + value + "'");
    }

    @Test
    void s3SettingsComeFromTheFileAndTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("berth.yaml");
        Files.writeString(file, """
                storage:
                  driver: s3
                  s3: {endpoint: "http://127.0.0.1:9000/", bucket: reg, prefix: /one/two/, path-style: true}
                """);
        BerthConfig config = ConfigLoader.load(file,
                Map.of("BERTH_STORAGE_S3_ACCESS_KEY", "AK", "BERTH_STORAGE_S3_SECRET_KEY", "SK"), List.of());
        assertThat(config.storage().s3()).isEqualTo(
                new BerthConfig.S3("http://127.0.0.1:9000", "us-east-1", "reg", "one/two/", "AK", "SK", true));
    }

    @Test
    void storageDriverNamesWhatItStillNeeds() {
        assertThat(problemWith(null, Map.of("BERTH_STORAGE_DRIVER", "swift"), List.of()))
                .contains("auth-url and user are required");
        assertThat(problemWith(null, Map.of("BERTH_STORAGE_DRIVER", "swift",
                "BERTH_STORAGE_SWIFT_AUTH_URL", "http://k/v3", "BERTH_STORAGE_SWIFT_USER", "u"), List.of()))
                .contains("needs password and project");
        assertThat(problemWith(null, Map.of("BERTH_STORAGE_DRIVER", "s3", "BERTH_STORAGE_S3_ACCESS_KEY", "a"),
                List.of())).contains("access-key and secret-key go together");
        assertThat(problemWith(null, Map.of("BERTH_STORAGE_S3_ENDPOINT", "ftp://x"), List.of()))
                .contains("storage.s3.endpoint: 'ftp://x' is not an http or https URL");
    }

    @Test
    void retentionRulesAreReadFromTheFileAsAList() throws Exception {
        Path file = file("""
                lifecycle:
                  gc: {schedule: 6h, grace: 30m}
                  retention:
                    - {repositories: "ci/**", keep-last: 10, keep-matching: "^v[0-9]", delete-untagged-after: 7d}
                    - repositories: team/*
                      keep-last: 3
                verify-on-read: {policy: always}
                """);
        BerthConfig config = ConfigLoader.load(file, Map.of(), List.of());
        assertThat(config.lifecycle().gc().schedule()).contains(java.time.Duration.ofHours(6));
        assertThat(config.lifecycle().gc().grace()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(config.lifecycle().retention()).containsExactly(
                new BerthConfig.RetentionRule("ci/**", java.util.OptionalInt.of(10), java.util.Optional.of("^v[0-9]"),
                        java.util.Optional.of(java.time.Duration.ofDays(7))),
                new BerthConfig.RetentionRule("team/*", java.util.OptionalInt.of(3), java.util.Optional.empty(),
                        java.util.Optional.empty()));
        assertThat(config.verifyOnRead().policy()).isEqualTo(BerthConfig.VerifyPolicy.ALWAYS);
    }

    @Test
    void retentionRulesComeFromTheEnvironmentAsFlowText() throws Exception {
        BerthConfig config = ConfigLoader.load(null,
                Map.of("BERTH_LIFECYCLE_RETENTION", "[{repositories: ci/**, keep-last: 2}]"), List.of());
        assertThat(config.lifecycle().retention()).extracting(BerthConfig.RetentionRule::repositories)
                .containsExactly("ci/**");
    }

    @Test
    void badRetentionRulesNameTheRuleTheFieldAndTheLine() throws Exception {
        Path file = file("""
                lifecycle:
                  retention:
                    - {repositories: "ci/**", keep-last: 10}
                    - {repositories: "x/*", keep-lats: 3}
                """);
        assertThat(problemWith(file, Map.of(), List.of()))
                .contains("berth.yaml:2: lifecycle.retention: rule 2: unknown field 'keep-lats' (did you mean 'keep-last'?)");
        assertThat(problemWith(null, Map.of("BERTH_LIFECYCLE_RETENTION", "[{repositories: a, keep-last: -1}]"),
                List.of())).contains("rule 1: keep-last: '-1' is not a whole number");
        assertThat(problemWith(null, Map.of("BERTH_VERIFY_ON_READ_RATE", "2"), List.of()))
                .contains("verify-on-read.rate: '2' is not a number from 0 to 1");
    }

    @Test
    void choicesNameTheAllowedValues() {
        assertThat(problemWith(null, Map.of("BERTH_STORAGE_DRIVER", "gcs"), List.of()))
                .endsWith("storage.driver: 'gcs' is not one of: filesystem, s3, swift, memory");
        assertThat(problemWith(null, Map.of("BERTH_VALIDATION_SPARSE_INDEX", "Allow"), List.of()))
                .endsWith("validation.sparse-index: 'Allow' is not one of: reject, allow");
    }

    @Test
    void emptyOrZeroValuesAreRejectedWhereMeaningless() throws IOException {
        assertThat(fileProblem("storage: {filesystem: {root: }}\n"))
                .isEqualTo("berth.yaml:1: storage.filesystem.root: a path is needed");
        assertThat(fileProblem("limits: {manifest-size: 0}\n"))
                .isEqualTo("berth.yaml:1: limits.manifest-size: '0' is too small (at least 1 byte)");
    }
}
