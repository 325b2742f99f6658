package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.BerthConfig.NotificationEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationConfigTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("berth.yaml"), yaml);
    }

    private String problem(Path file, Map<String, String> env) {
        try {
            ConfigLoader.load(file, env, List.of());
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void noEndpointsAndThirtySecondsToStopByDefault() {
        assertThat(BerthConfig.defaults().notifications().endpoints()).isEmpty();
        assertThat(BerthConfig.defaults().shutdown().timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void distributionsEndpointFieldsAndBerthsOwnReadIntoTheTree() throws Exception {
        BerthConfig config = ConfigLoader.load(file("""
                shutdown: {timeout: 45s}
                notifications:
                  endpoints:
                    - name: alistener
                      url: https://mylistener.example.com/event/
                      headers:
                        Authorization: [Bearer t0ken]
                        X-Tenant: blue
                      timeout: 500ms
                      threshold: 5
                      backoff: 1s
                      max-backoff: 2m
                      queue-size: 50
                      repositories: ["team-a/**", ci/app]
                      actions: [push, delete]
                      ignoredmediatypes: [application/octet-stream]
                      ignore:
                        mediatypes: [application/vnd.oci.image.index.v1+json]
                        actions: [pull]
                    - {name: second, url: "http://127.0.0.1:9000/hook", disabled: true}
                """), Map.of(), List.of());

        assertThat(config.shutdown().timeout()).isEqualTo(Duration.ofSeconds(45));
        List<NotificationEndpoint> endpoints = config.notifications().endpoints();
        assertThat(endpoints).hasSize(2);
        NotificationEndpoint first = endpoints.get(0);
        assertThat(first).isEqualTo(new NotificationEndpoint("alistener", "https://mylistener.example.com/event/",
                Map.of("Authorization", List.of("Bearer t0ken"), "X-Tenant", List.of("blue")),
                Duration.ofMillis(500), 5, Duration.ofSeconds(1), Duration.ofMinutes(2), 50,
                List.of("team-a/**", "ci/app"), List.of("push", "delete"),
                List.of("application/octet-stream", "application/vnd.oci.image.index.v1+json"), List.of("pull"),
                false));
        assertThat(endpoints.get(1)).isEqualTo(NotificationEndpoint.to("second", "http://127.0.0.1:9000/hook")
                .withDisabled(true));
    }

    @Test
    void theEnvironmentWritesTheListAsYamlFlowText() throws Exception {
        BerthConfig config = ConfigLoader.load(null, Map.of(
                "BERTH_NOTIFICATIONS_ENDPOINTS", "[{name: hook, url: \"http://127.0.0.1:8080/events\", backoff: 2s}]",
                "BERTH_SHUTDOWN_TIMEOUT", "5s"), List.of());

        assertThat(config.notifications().endpoints()).containsExactly(
                NotificationEndpoint.to("hook", "http://127.0.0.1:8080/events")
                        .withRetries(3, Duration.ofSeconds(2), Duration.ofMinutes(1)));
        assertThat(config.shutdown().timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBadEndpointIsRefusedNamingTheKeyTheLineTheEndpointAndTheField() throws Exception {
        String message = problem(file("""
                listen: localhost:5000
                notifications:
                  endpoints:
                    - {name: hook, url: "http://a.example/x", actions: [push, pussh]}
                """), Map.of());
        assertThat(message).contains("berth.yaml:3", "notifications.endpoints", "endpoint 'hook'", "actions",
                "'pussh'", "did you mean 'push'");
    }

    @Test
    void eachMistakeSaysWhatIsWrong() throws Exception {
        assertThat(endpointProblem("[{url: \"http://a.example\"}]")).contains("endpoint 1", "name is required");
        assertThat(endpointProblem("[{name: a}]")).contains("endpoint 'a'", "url is required");
        assertThat(endpointProblem("[{name: a, url: \"ftp://a.example\"}]")).contains("not an http or https URL");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", tiemout: 1s}]"))
                .contains("unknown field 'tiemout'", "did you mean 'timeout'");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", timeout: 10}]")).contains("timeout", "'10'");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", threshold: 0}]")).contains("threshold");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", queue-size: many}]")).contains("queue-size");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", backoff: 5m, max-backoff: 1m}]"))
                .contains("max-backoff is shorter than backoff");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", headers: {Host: [b]}}]"))
                .contains("Host is set by Berth itself");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", repositories: [\"Team A\"]}]"))
                .contains("not a repository glob");
        assertThat(endpointProblem("[{name: a, url: \"http://a\", ignore: {actions: [fetch]}}]"))
                .contains("ignore.actions", "'fetch'");
        assertThat(endpointProblem("[{name: a, url: \"http://a\"}, {name: a, url: \"http://b\"}]"))
                .contains("endpoint 2", "'a' is used twice");
        assertThat(endpointProblem("{name: a}")).contains("expected a list of endpoints");
        assertThat(problem(null, Map.of("BERTH_SHUTDOWN_TIMEOUT", "0s"))).contains("BERTH_SHUTDOWN_TIMEOUT");
    }

    private String endpointProblem(String flow) {
        String message = problem(null, Map.of("BERTH_NOTIFICATIONS_ENDPOINTS", flow));
        assertThat(message).contains("BERTH_NOTIFICATIONS_ENDPOINTS");
        return message;
    }
}
