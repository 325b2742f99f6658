package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepositoryGlobTest {

    private static boolean matches(String glob, String repository) {
        return new RepositoryGlob(glob).matches(repository);
    }

    @Test
    void aPlainNameMatchesOnlyItself() {
        assertThat(matches("team/app", "team/app")).isTrue();
        assertThat(matches("team/app", "team/app2")).isFalse();
        assertThat(matches("team/app", "team")).isFalse();
    }

    @Test
    void singleStarStaysWithinOneComponent() {
        assertThat(matches("ci/*", "ci/app")).isTrue();
        assertThat(matches("ci/*", "ci/app/tests")).isFalse();
        assertThat(matches("ci/*", "ci")).isFalse();
        assertThat(matches("*", "app")).isTrue();
        assertThat(matches("*", "team/app")).isFalse();
        assertThat(matches("team/*-cache", "team/build-cache")).isTrue();
        assertThat(matches("team/*-cache", "team/x/build-cache")).isFalse();
        assertThat(matches("*/app", "team/app")).isTrue();
        assertThat(matches("*/app", "a/b/app")).isFalse();
    }

    @Test
    void trailingDoubleStarMatchesEverythingInsideButNotTheParent() {
        assertThat(matches("ci/**", "ci/app")).isTrue();
        assertThat(matches("ci/**", "ci/app/tests/unit")).isTrue();
        assertThat(matches("ci/**", "ci")).isFalse();
        assertThat(matches("ci/**", "cinema/app")).isFalse();
    }

    @Test
    void leadingAndInnerDoubleStarMatchZeroOrMoreComponents() {
        assertThat(matches("**/cache", "cache")).isTrue();
        assertThat(matches("**/cache", "team/cache")).isTrue();
        assertThat(matches("**/cache", "a/b/c/cache")).isTrue();
        assertThat(matches("**/cache", "team/buildcache")).isFalse();
        assertThat(matches("team/**/app", "team/app")).isTrue();
        assertThat(matches("team/**/app", "team/x/y/app")).isTrue();
        assertThat(matches("team/**/app", "team/xapp")).isFalse();
    }

    @Test
    void doubleStarAloneMatchesEveryRepository() {
        assertThat(matches("**", "app")).isTrue();
        assertThat(matches("**", "a/b/c")).isTrue();
    }

    @Test
    void doubleStarInsideAComponentCrossesSeparators() {
        assertThat(matches("team-**", "team-a/b")).isTrue();
        assertThat(matches("team-*", "team-a/b")).isFalse();
    }

    @Test
    void regexCharactersInTheGlobAreLiteral() {
        assertThat(matches("my.app", "my.app")).isTrue();
        assertThat(matches("my.app", "myxapp")).isFalse();
    }

    @Test
    void anEmptyGlobIsRefused() {
        assertThatThrownBy(() -> new RepositoryGlob("")).isInstanceOf(IllegalArgumentException.class);
    }
}
