package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scope grammar of the Docker token spec. */
class ResourceScopeTest {

    @Test
    void aScopeSplitsIntoTypeNameAndActions() {
        assertThat(ResourceScope.parse("repository:team-a/app:pull,push"))
                .isEqualTo(new ResourceScope("repository", "team-a/app", List.of("pull", "push")));
        assertThat(ResourceScope.parse("registry:catalog:*")).isEqualTo(ResourceScope.CATALOG);
        assertThat(ResourceScope.parse("repository:team-a/app:pull,push").toString())
                .isEqualTo("repository:team-a/app:pull,push");
    }

    @Test
    void aNameMayHoldAHostsPort() {
        assertThat(ResourceScope.parse("repository:localhost:5000/app:pull"))
                .isEqualTo(new ResourceScope("repository", "localhost:5000/app", List.of("pull")));
    }

    @Test
    void theDeprecatedResourceClassIsDropped() {
        assertThat(ResourceScope.parse("repository(plugin):app:pull").type()).isEqualTo("repository");
    }

    @Test
    void repeatedAndEmptyActionsCollapse() {
        assertThat(ResourceScope.parse("repository:app:pull,,pull").actions()).containsExactly("pull");
        assertThat(ResourceScope.parse("repository:app:").actions()).isEmpty();
    }

    @Test
    void aListIsSeparatedBySpaces() {
        assertThat(ResourceScope.parseList(" repository:a:pull  repository:b:push ")).containsExactly(
                new ResourceScope("repository", "a", List.of("pull")),
                new ResourceScope("repository", "b", List.of("push")));
        assertThat(ResourceScope.parseList("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"repository", "repository:app", ":app:pull", "Repository:app:pull",
        "repository:a:b:c:pull", "repository:app:PULL", "repository:app:pull;rm"})
    void textOutsideTheGrammarIsRefused(String text) {
        assertThatThrownBy(() -> ResourceScope.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "" : "scope");
    }
}
