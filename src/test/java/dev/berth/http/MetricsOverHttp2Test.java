package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.BerthServer;
import dev.berth.config.BerthConfig;
import dev.berth.conformance.Digests;
import dev.berth.conformance.Expect;
import dev.berth.conformance.Http;
import dev.berth.storage.MemoryStore;
import dev.berth.tls.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over TLS and HTTP/2, requests and their body bytes are counted as over HTTP/1.1, the request id comes back, and
 * the admin listener stays plain HTTP beside the TLS listener.
 */
class MetricsOverHttp2Test {

    @Test
    void http2RequestsAndTheirBytesAreCountedAndScrapedOnThePlainAdminPort(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.in(dir.resolve("pki"));
        TestPki.Authority ca = pki.authority("ca", "Berth Test CA");
        TestPki.Issued cert = ca.server("server", TestPki.KeyType.EC_P256);
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withTls(Optional.of(new BerthConfig.Tls(Optional.of(cert.cert()), Optional.of(cert.key()),
                        Optional.empty())))
                .withAdmin(BerthConfig.Admin.defaults().withListen(Optional.of("127.0.0.1:0")));
        try (BerthServer server = BerthServer.start(config, new MemoryStore());
                HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(TestPki.trusting(ca.cert())).build()) {
            Http admin = new Http(server.adminUri().orElseThrow());
            assertThat(server.adminUri().get().getScheme()).isEqualTo("http");
            MetricsScrape before = MetricsScrape.parse(Expect.status(admin.get("/metrics"), 200).text());

            byte[] content = Digests.randomBytes(70_000);
            String digest = Digests.sha256(content);
            HttpResponse<byte[]> pushed = h2.send(HttpRequest.newBuilder(
                    uri(server, "/v2/h2/app/blobs/uploads/?digest=" + digest))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                    .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pushed.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(pushed.statusCode()).isEqualTo(201);
            assertThat(pushed.headers().firstValue("X-Request-Id")).isPresent();
            HttpResponse<byte[]> pulled = h2.send(HttpRequest.newBuilder(uri(server, "/v2/h2/app/blobs/" + digest))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(pulled.body()).isEqualTo(content);

            MetricsScrape after = awaitCount(admin, before, 2);
            assertThat(after.sum("berth_http_requests_total", "route=blob_upload", "method=POST", "status=201")
                    - before.sum("berth_http_requests_total", "route=blob_upload", "method=POST", "status=201"))
                    .isEqualTo(1);
            assertThat(after.sum("berth_http_request_bytes_total", "route=blob_upload")
                    - before.sum("berth_http_request_bytes_total", "route=blob_upload")).isEqualTo(content.length);
            assertThat(after.sum("berth_http_response_bytes_total", "route=blob")
                    - before.sum("berth_http_response_bytes_total", "route=blob")).isEqualTo(content.length);
        }
    }

    private static URI uri(BerthServer server, String path) {
        return URI.create(server.uri() + path);
    }

    /**
     * A scrape once {@code requests} more requests were counted than in {@code before}: over HTTP/2 the client may
     * hold the whole response a moment before the server has finished with its stream and counted it.
     */
    private static MetricsScrape awaitCount(Http admin, MetricsScrape before, int requests) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            MetricsScrape scrape = MetricsScrape.parse(Expect.status(admin.get("/metrics"), 200).text());
            boolean counted = scrape.sum("berth_http_requests_total") - before.sum("berth_http_requests_total")
                    >= requests;
            if (counted || System.nanoTime() > deadline) {
                return scrape;
            }
            Thread.sleep(20);
        }
    }
}
