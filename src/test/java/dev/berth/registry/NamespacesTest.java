package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig.NamespaceSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a host name and a repository name choose a namespace, and the name inside it. */
class NamespacesTest {
    private static final Namespace TEAM_A = new Namespace("team-a");
    private static final Namespace TEAM_B = new Namespace("team-b");
    private final Namespaces namespaces = Namespaces.of(List.of(
            new NamespaceSpec("team-a", List.of("a.example.com", "[::1]"), Optional.empty(), ""),
            new NamespaceSpec("team-b", List.of("b.example.com"), Optional.of("tb"), "https://b.example.com")));

    private RepositoryAddress address(Site site, String name) {
        return namespaces.address(site, new RepositoryName(name));
    }

    @Test
    void withNothingConfiguredEveryRequestReachesTheDefaultNamespaceUnderItsOwnName() {
        Namespaces none = Namespaces.defaultOnly();
        Site site = none.site("a.example.com");
        RepositoryAddress app = none.address(site, new RepositoryName("tb/app"));
        assertThat(site).isEqualTo(Site.ROOT);
        assertThat(app.namespace()).isEqualTo(Namespace.DEFAULT);
        assertThat(app.name().value()).isEqualTo("tb/app");
        assertThat(none.all()).containsExactly(Namespace.DEFAULT);
    }

    @Test
    void aHostNameMatchesWhateverItsCaseATrailingDotOrBrackets() {
        assertThat(namespaces.site("A.Example.COM")).isEqualTo(Site.of(TEAM_A));
        assertThat(namespaces.site("a.example.com.")).isEqualTo(Site.of(TEAM_A));
        assertThat(namespaces.site("::1")).isEqualTo(Site.of(TEAM_A));
        assertThat(namespaces.site("[::1]")).isEqualTo(Site.of(TEAM_A));
        assertThat(namespaces.site("c.example.com")).isEqualTo(Site.ROOT);
        assertThat(namespaces.site(null)).isEqualTo(Site.ROOT);
    }

    @Test
    void onAHostOfANamespaceEveryNameIsARepositoryOfIt() {
        RepositoryAddress app = address(Site.of(TEAM_A), "tb/app");
        assertThat(app.namespace()).isEqualTo(TEAM_A);
        assertThat(app.name().value()).isEqualTo("tb/app");
        assertThat(app.clientName().value()).isEqualTo("tb/app");
    }

    @Test
    void onTheRootAPrefixChoosesItsNamespaceAndTheRestIsTheName() {
        RepositoryAddress app = address(Site.ROOT, "tb/team/app");
        assertThat(app.namespace()).isEqualTo(TEAM_B);
        assertThat(app.name().value()).isEqualTo("team/app");
        assertThat(app.clientName().value()).isEqualTo("tb/team/app");
        assertThat(app.sibling(new RepositoryName("other")).toString()).isEqualTo("tb/other");

        assertThat(address(Site.ROOT, "tbx/app").namespace()).isEqualTo(Namespace.DEFAULT);
        assertThat(address(Site.ROOT, "team-a/app").namespace()).isEqualTo(Namespace.DEFAULT);
        assertThatThrownBy(() -> address(Site.ROOT, "tb")).isInstanceOf(RegistryException.class)
                .hasMessageContaining("NAME_INVALID");
    }

    @Test
    void theRootShowsTheDefaultNamespaceAndThoseChosenByPrefix() {
        assertThat(namespaces.views(Site.ROOT)).containsExactly(
                new NamespaceView(Site.ROOT, Namespace.DEFAULT, ""), new NamespaceView(Site.ROOT, TEAM_B, "tb/"));
        assertThat(namespaces.views(Site.of(TEAM_A))).containsExactly(new NamespaceView(Site.of(TEAM_A), TEAM_A, ""));
        assertThat(namespaces.reachable(RepositoryAddress.inDefault(new RepositoryName("tb/old")))).isFalse();
        assertThat(namespaces.reachable(RepositoryAddress.inDefault(new RepositoryName("tb")))).isFalse();
        assertThat(namespaces.reachable(RepositoryAddress.inDefault(new RepositoryName("tbx/app")))).isTrue();
    }

    @Test
    void eachNamespaceChosenByHostIsASiteWithItsOwnPublicUrl() {
        assertThat(namespaces.sites()).containsExactly(Site.ROOT, Site.of(TEAM_A), Site.of(TEAM_B));
        assertThat(namespaces.publicUrl(Site.of(TEAM_B))).contains("https://b.example.com");
        assertThat(namespaces.publicUrl(Site.of(TEAM_A))).isEmpty();
        assertThat(namespaces.publicUrl(Site.ROOT)).isEmpty();
        assertThat(namespaces.all()).containsExactly(Namespace.DEFAULT, TEAM_A, TEAM_B);
    }
}
