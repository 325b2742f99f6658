package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.conformance.Client;
import dev.berth.conformance.Expect;
import dev.berth.conformance.Http;
import dev.berth.storage.MemoryStore;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code admin.listen} set, {@code /metrics}, {@code /healthz} and {@code /readyz} are served on that listener
 * alone: the main port answers them as unknown paths, and the admin port serves nothing of the registry.
 */
class AdminListenerTest {
    private static BerthServer server;
    private static Http main;
    private static Http admin;

    @BeforeAll
    static void start() throws Exception {
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withAdmin(BerthConfig.Admin.defaults().withListen(Optional.of("127.0.0.1:0")));
        server = BerthServer.start(config, new MemoryStore());
        main = new Http(server.uri());
        admin = new Http(server.adminUri().orElseThrow());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void theAdminListenerIsItsOwnPort() {
        assertThat(server.adminUri()).isPresent();
        assertThat(server.adminUri().get().getPort()).isNotEqualTo(server.uri().getPort());
        assertThat(server.adminUri().get().getScheme()).isEqualTo("http");
    }

    @Test
    void theMainPortAnswersTheAdminPathsAsUnknown() {
        for (String path : new String[] {"/metrics", "/healthz", "/readyz"}) {
            Http.Response response = main.get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(Expect.errorCodes(response)).as(path).containsExactly("UNSUPPORTED");
        }
    }

    @Test
    void theAdminPortServesMetricsHealthAndReadiness() {
        new Client(main).pushImage("admin/app", "1.0");
        MetricsScrape scrape = MetricsScrape.parse(Expect.status(admin.get("/metrics"), 200).text());
        assertThat(scrape.sum("berth_http_requests_total", "route=manifest", "method=PUT", "status=201"))
                .isGreaterThanOrEqualTo(1);
        // The main port's answers to the admin paths count as route other; the admin port's own requests do not.
        assertThat(scrape.labelValues("route")).doesNotContain("metrics", "healthz", "readyz");
        assertThat(Expect.status(admin.get("/healthz"), 200).json().path("status").asText()).isEqualTo("ok");
        assertThat(Expect.status(admin.get("/readyz"), 200).json().path("status").asText()).isEqualTo("ready");
    }

    @Test
    void theAdminPortServesNothingOfTheRegistry() {
        Http.Response base = admin.get("/v2/");
        assertThat(base.status()).isEqualTo(404);
        assertThat(base.header("Docker-Distribution-API-Version")).isNull();
        Expect.status(admin.get("/v2/_catalog"), 404);
    }
}
