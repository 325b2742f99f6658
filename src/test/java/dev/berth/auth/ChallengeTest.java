package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
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
}
