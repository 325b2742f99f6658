package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.auth.token.ResourceScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void basicChallengeNamesTheRealm() {
        assertThat(Challenge.basic("Berth").headerValue()).isEqualTo("Basic realm=\"Berth\"");
    }

    @Test
    void bearerChallengeQuotesEveryParameterInOrder() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("realm", "https://r.example/token");
        parameters.put("service", "r.example");
        parameters.put("scope", "repository:a/b:pull,push");
        assertThat(new Challenge("Bearer", parameters).headerValue()).isEqualTo(
                "Bearer realm=\"https://r.example/token\",service=\"r.example\",scope=\"repository:a/b:pull,push\"");
    }

    @Test
    void aBearerChallengeNamesScopesSeparatedBySpacesAndTheErrorLast() {
        List<ResourceScope> scopes = List.of(ResourceScope.parse("repository:a/b:pull,push"),
                ResourceScope.parse("repository:c:pull"));
        assertThat(Challenge.bearer("https://r/token", "r", scopes, Optional.of("insufficient_scope")).headerValue())
                .isEqualTo("Bearer realm=\"https://r/token\",service=\"r\","
                        + "scope=\"repository:a/b:pull,push repository:c:pull\",error=\"insufficient_scope\"");
        assertThat(Challenge.bearer("https://r/token", "r", List.of(), Optional.empty()).headerValue())
                .isEqualTo("Bearer realm=\"https://r/token\",service=\"r\"");
    }

    @Test
    void aRealmThatIsAPathIsPutUnderTheRequestsUrl() {
        String relative = Challenge.bearer("/token", "r", List.of(), Optional.empty()).headerValue();
        assertThat(Challenge.withRealmBase(relative, "http://h:5000"))
                .isEqualTo("Bearer realm=\"http://h:5000/token\",service=\"r\"");
        String absolute = Challenge.bearer("https://a/token", "r", List.of(), Optional.empty()).headerValue();
        assertThat(Challenge.withRealmBase(absolute, "http://h:5000")).isEqualTo(absolute);
        assertThat(Challenge.withRealmBase("Basic realm=\"Berth\"", "http://h:5000")).isEqualTo("Basic realm=\"Berth\"");
    }

    @Test
    void aPushAsksForPullToo() {
        var repo = new dev.berth.registry.RepositoryName("a/b");
        assertThat(Access.scopes(List.of(new Access(repo, Action.PUSH))).get(0).toString())
                .isEqualTo("repository:a/b:pull,push");
        assertThat(Access.scopes(List.of(new Access(repo, Action.DELETE))).get(0).toString())
                .isEqualTo("repository:a/b:delete");
    }
}
