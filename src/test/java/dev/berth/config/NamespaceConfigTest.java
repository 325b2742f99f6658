package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig.AccessRule;
import dev.berth.config.BerthConfig.NamespaceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code namespaces} key and the {@code namespace} of access rules, from the file and the environment. */
class NamespaceConfigTest {
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
    void withoutTheKeyOnlyTheDefaultNamespaceIsServed() {
        assertThat(BerthConfig.defaults().namespaces()).isEmpty();
    }

    @Test
    void theFileListsNamespacesChosenByHostOrPrefix() throws Exception {
        BerthConfig config = load(file("""
                namespaces:
                  - {name: team-a, hosts: [a.registry.example.com, A2.Registry.Example.com]}
                  - {name: team-b, prefix: team-b}
                  - name: team-c
                    hosts: c.registry.example.com
                    prefix: c
                    public-url: https://c.registry.example.com/
                auth:
                  rules:
                    - {namespace: team-a, repositories: "**", users: [alice], actions: [push]}
                    - {namespace: "*", repositories: "**", users: [carol], actions: [admin]}
                    - {repositories: "**", users: [dave], actions: [pull]}
                """), Map.of());
        assertThat(config.namespaces()).containsExactly(
                new NamespaceSpec("team-a", List.of("a.registry.example.com", "a2.registry.example.com"),
                        Optional.empty(), ""),
                new NamespaceSpec("team-b", List.of(), Optional.of("team-b"), ""),
                new NamespaceSpec("team-c", List.of("c.registry.example.com"), Optional.of("c"),
                        "https://c.registry.example.com"));
        assertThat(config.auth().orElseThrow().rules()).extracting(AccessRule::namespace)
                .containsExactly("team-a", "*", "default");
    }

    @Test
    void theEnvironmentWritesTheListAsYamlFlowText() throws Exception {
        BerthConfig config = load(null, Map.of("BERTH_NAMESPACES", "[{name: ci, prefix: ci}]"));
        assertThat(config.namespaces()).containsExactly(new NamespaceSpec("ci", List.of(), Optional.of("ci"), ""));
    }

    @Test
    void aMistakeNamesTheKeyTheLineTheEntryAndTheField() throws Exception {
        String message = problem(file("""
                listen: localhost:5000
                namespaces:
                  - {name: team-a, hosts: [a.example.com]}
                  - {name: Team_B, prefix: b}
                """), Map.of());
        assertThat(message).contains("berth.yaml:2", "namespaces", "namespace 2", "name", "'Team_B'");
        assertThat(problem(file("namespaces: [{name: x, prefx: x}]\n"), Map.of()))
                .contains("unknown field 'prefx'", "did you mean 'prefix'");
    }

    @Test
    void namesHostsAndPrefixesAreEachClaimedOnce() throws Exception {
        assertThat(problem(file("namespaces: [{name: x, prefix: x}, {name: x, prefix: y}]\n"), Map.of()))
                .contains("namespace 2", "'x'", "claimed once");
        assertThat(problem(file("namespaces: [{name: x, hosts: [h.example]}, {name: y, hosts: [H.example]}]\n"),
                Map.of())).contains("namespace 2", "hosts", "'h.example'", "namespace 'x'");
        assertThat(problem(file("namespaces: [{name: x, prefix: p}, {name: y, prefix: p}]\n"), Map.of()))
                .contains("namespace 2", "prefix", "'p'", "namespace 'x'");
    }

    @Test
    void eachNamespaceNeedsAValidIdAndAWayToReachIt() throws Exception {
        assertThat(problem(file("namespaces: [{name: default, prefix: d}]\n"), Map.of()))
                .contains("'default'", "another name");
        assertThat(problem(file("namespaces: [{prefix: d}]\n"), Map.of())).contains("name is required");
        assertThat(problem(file("namespaces: [{name: lonely}]\n"), Map.of()))
                .contains("neither hosts nor a prefix");
        assertThat(problem(file("namespaces: [{name: x, prefix: a/b}]\n"), Map.of()))
                .contains("prefix", "'a/b'", "one component");
        assertThat(problem(file("namespaces: [{name: x, hosts: [\"https://x.example\"]}]\n"), Map.of()))
                .contains("hosts", "not a host name");
        assertThat(problem(file("namespaces: [{name: x, prefix: x, public-url: https://x.example}]\n"), Map.of()))
                .contains("public-url", "chosen by hosts");
        assertThat(problem(file("namespaces: {name: x}\n"), Map.of())).contains("namespaces", "list of namespaces");
    }

    @Test
    void aRuleMayNameOnlyAConfiguredNamespace() throws Exception {
        assertThat(problem(file("""
                namespaces: [{name: team-a, prefix: a}]
                auth:
                  rules: [{namespace: team-b, repositories: "**", users: [alice], actions: [pull]}]
                """), Map.of())).contains("rule 1", "no namespace 'team-b'", "did you mean 'team-a'");
        assertThat(problem(file("""
                auth:
                  rules: [{namespace: "Team A", repositories: "**", users: [alice], actions: [pull]}]
                """), Map.of())).contains("auth.rules", "rule 1", "not a namespace name");
    }
}
