package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.BerthServer;
import dev.berth.auth.HtpasswdEditor;
import dev.berth.config.BerthConfig;
import dev.berth.config.BerthConfig.AccessRule;
import dev.berth.registry.LogCapture;
import dev.berth.tls.TestPki;
import dev.berth.tls.TlsFileException;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth serving TLS in-process, to the JDK's HttpClient (and openssl for what the JDK will not try): the protocol
 * versions, HTTP/2 over ALPN, client certificates as logins, and certificates replaced while it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<AccessRule> RULES = List.of(
            new AccessRule("team-a/*", List.of("alice"), List.of(), List.of("pull", "push")),
            new AccessRule("team-a/*", List.of("bob"), List.of(), List.of("pull")));
    private static final Duration RELOAD_DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private TestPki pki;
    private TestPki.Authority ca;
    private TestPki.Issued server;
    private TestPki.Issued alice;
    private TestPki.Issued aliceOfAnotherCa;
    private Path htpasswd;
    private BerthServer mtls;
    private BerthServer tlsOnly;

    @BeforeAll
    void start() throws Exception {
        pki = TestPki.in(dir.resolve("pki"));
        ca = pki.authority("ca", "Berth Test CA");
        server = ca.server("server", TestPki.KeyType.EC_P256);
        alice = ca.client("alice", "alice");
        aliceOfAnotherCa = pki.authority("other-ca", "Another CA").client("alice-other", "alice");
        htpasswd = dir.resolve("users.htpasswd");
        HtpasswdEditor.put(htpasswd, "alice", "alice-pw".toCharArray());
        HtpasswdEditor.put(htpasswd, "bob", "bob-pw".toCharArray());
        mtls = BerthServer.start(config(server.cert(), server.key(), Optional.of(ca.cert()), true));
        tlsOnly = BerthServer.start(config(server.cert(), server.key(), Optional.empty(), true));
    }

    @AfterAll
    void stop() throws Exception {
        mtls.close();
        tlsOnly.close();
    }

    private BerthConfig config(Path cert, Path key, Optional<Path> clientCa, boolean auth) {
        BerthConfig config = BerthConfig.defaults().withListen("127.0.0.1:0")
                .withStorage(new BerthConfig.Storage(BerthConfig.StorageDriver.MEMORY, null))
                .withTls(Optional.of(new BerthConfig.Tls(Optional.of(cert), Optional.of(key), clientCa)));
        return auth ? config.withAuth(Optional.of(new BerthConfig.Auth(Optional.of(htpasswd), false,
                BerthConfig.Token.defaults(), Map.of(), RULES))) : config;
    }

    // ---- the listener

    @Test
    void theServerSaysHttpsInItsUri() {
        assertThat(mtls.uri().getScheme()).isEqualTo("https");
        assertThat(mtls.uri().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void tls13AndTls12BothNegotiate() throws Exception {
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            SSLParameters parameters = new SSLParameters();
            parameters.setProtocols(new String[] {protocol});
            try (HttpClient client = HttpClient.newBuilder().sslContext(TestPki.trusting(ca.cert()))
                    .sslParameters(parameters).build()) {
                HttpResponse<String> response = client.send(get(tlsOnly.uri(), "/v2/", "bob", "bob-pw"),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo(protocol);
            }
        }
    }

    @Test
    void tls11IsRefusedWhileTls12WorksForTheSameClient() throws Exception {
        // The JDK will not even offer TLS 1.1, so openssl, told to allow it, asks.
        Process tls11 = sClient("-tls1_1");
        assertThat(tls11.exitValue()).as(output(tls11)).isNotZero();
        assertThat(output(tls11)).containsAnyOf("alert protocol version", "unsupported protocol",
                "no protocols available");
        Process tls12 = sClient("-tls1_2");
        assertThat(tls12.exitValue()).as(output(tls12)).isZero();
        assertThat(output(tls12)).contains("TLSv1.2").contains("Verify return code: 0 (ok)");
    }

    @Test
    void http2IsNegotiatedThroughAlpnAndHttp11StaysForClientsWithoutIt() throws Exception {
        try (HttpClient h2 = client(HttpClient.Version.HTTP_2, TestPki.trusting(ca.cert()));
             HttpClient h1 = client(HttpClient.Version.HTTP_1_1, TestPki.trusting(ca.cert()))) {
            assertThat(h2.send(get(tlsOnly.uri(), "/v2/", "bob", "bob-pw"), HttpResponse.BodyHandlers.ofString())
                    .version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(h1.send(get(tlsOnly.uri(), "/v2/", "bob", "bob-pw"), HttpResponse.BodyHandlers.ofString())
                    .version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void alpnSelectsWhatTheClientOffersAndNoAlpnMeansHttp11() throws Exception {
        // curl and Go clients offer "http/1.1" by name; the JDK's HTTP/1.1 client offers no ALPN at all.
        Process http11 = sClient("-tls1_3", "-alpn", "http/1.1");
        assertThat(http11.exitValue()).as(output(http11)).isZero();
        assertThat(output(http11)).contains("ALPN protocol: http/1.1");
        Process both = sClient("-tls1_3", "-alpn", "h2,http/1.1");
        assertThat(output(both)).contains("ALPN protocol: h2");
        Process none = sClient("-tls1_3");
        assertThat(none.exitValue()).as(output(none)).isZero();
        assertThat(output(none)).contains("No ALPN negotiated");
    }

    @Test
    void aBlobPushedOverHttp2ComesBackByteForByte() throws Exception {
        byte[] content = new byte[3 << 20];
        new java.util.Random(42).nextBytes(content);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        try (HttpClient h2 = client(HttpClient.Version.HTTP_2, TestPki.trusting(ca.cert()))) {
            HttpResponse<String> pushed = h2.send(HttpRequest.newBuilder(
                            tlsOnly.uri().resolve("/v2/team-a/h2/blobs/uploads/?digest=" + digest))
                    .header("Authorization", basic("alice", "alice-pw"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pushed.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
            assertThat(pushed.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/v2/team-a/h2/blobs/" + digest));
            HttpResponse<byte[]> pulled = h2.send(get(tlsOnly.uri(), "/v2/team-a/h2/blobs/" + digest, "bob",
                    "bob-pw"), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(pulled.body()).isEqualTo(content);
        }
    }

    // ---- client certificates (mTLS)

    @Test
    void aClientCertificateLogsInAsItsCommonNameWithThatUsersRules() throws Exception {
        try (HttpClient client = client(HttpClient.Version.HTTP_2, pki.trustingWithCertificate(ca.cert(), alice))) {
            assertThat(client.send(get(mtls.uri(), "/v2/", null, null), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            HttpResponse<String> allowed = client.send(post(mtls.uri(), "/v2/team-a/app/blobs/uploads/", null, null),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(202);
            HttpResponse<String> denied = client.send(post(mtls.uri(), "/v2/team-b/app/blobs/uploads/", null, null),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(denied.body()).path("errors").path(0).path("code").asText()).isEqualTo("DENIED");
        }
    }

    @Test
    void anAuthorizationHeaderIsCheckedAsUsualEvenWithACertificate() throws Exception {
        try (HttpClient client = client(HttpClient.Version.HTTP_1_1, pki.trustingWithCertificate(ca.cert(), alice))) {
            // bob's password wins over alice's certificate: bob may only pull.
            assertThat(client.send(post(mtls.uri(), "/v2/team-a/app/blobs/uploads/", "bob", "bob-pw"),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            HttpResponse<String> wrong = client.send(get(mtls.uri(), "/v2/", "alice", "not-her-password"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        try (HttpClient client = client(HttpClient.Version.HTTP_1_1,
                pki.trustingAndInsistingOn(ca.cert(), aliceOfAnotherCa))) {
            assertThatThrownBy(() -> client.send(get(mtls.uri(), "/v2/", null, null),
                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SSLHandshakeException
                            || String.valueOf(c.getMessage()).contains("certificate")));
        }
        // The same client with the right CA's certificate gets in: the refusal was about the certificate.
        try (HttpClient client = client(HttpClient.Version.HTTP_1_1, pki.trustingAndInsistingOn(ca.cert(), alice))) {
            assertThat(client.send(get(mtls.uri(), "/v2/", null, null), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutCertificateOrCredentialsTheCallerIsAnonymousAndChallenged() throws Exception {
        try (HttpClient client = client(HttpClient.Version.HTTP_1_1, TestPki.trusting(ca.cert()))) {
            HttpResponse<String> response = client.send(get(mtls.uri(), "/v2/", null, null),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Berth\"");
            // Basic still works without a certificate.
            assertThat(client.send(get(mtls.uri(), "/v2/", "alice", "alice-pw"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutClientCaNoCertificateIsAskedForSoNoneLogsIn() throws Exception {
        try (HttpClient client = client(HttpClient.Version.HTTP_1_1, pki.trustingAndInsistingOn(ca.cert(), alice))) {
            HttpResponse<String> response = client.send(get(tlsOnly.uri(), "/v2/", null, null),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.sslSession().orElseThrow().getLocalCertificates()).isNull();
        }
    }

    // ---- reloading

    @Test
    void aReplacedCertificateServesNewConnectionsAndABrokenReplacementKeepsTheOldOne() throws Exception {
        Path live = Files.createDirectories(dir.resolve("reload"));
        Path cert = Files.copy(server.cert(), live.resolve("tls.crt"));
        Path key = Files.copy(server.key(), live.resolve("tls.key"));
        try (BerthServer reloading = BerthServer.start(config(cert, key, Optional.empty(), false))) {
            assertThat(serialOfANewConnection(reloading.uri())).isEqualTo(server.serial());

            TestPki.Issued next = ca.server("next", TestPki.KeyType.RSA_2048);
            Files.copy(next.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(next.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            await("the new certificate is served", () -> next.serial().equals(serialOfANewConnection(reloading.uri())));

            try (LogCapture logs = new LogCapture()) {
                Files.writeString(cert, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
                await("the broken certificate is noticed",
                        () -> !logs.mentioning("tls: the changed files cannot be used").isEmpty());
                assertThat(logs.mentioning("tls: the changed files cannot be used").get(0))
                        .contains("tls.cert: " + cert);
            }
            assertThat(serialOfANewConnection(reloading.uri())).isEqualTo(next.serial());
        }
    }

    @Test
    void aReplacedClientCaDecidesWhichClientCertificatesAreAccepted() throws Exception {
        Path live = Files.createDirectories(dir.resolve("reload-ca"));
        Path clientCa = Files.copy(ca.cert(), live.resolve("client-ca.crt"));
        TestPki.Authority otherCa = pki.authority("third-ca", "Third CA");
        TestPki.Issued aliceOfThirdCa = otherCa.client("alice-third", "alice");
        try (BerthServer reloading = BerthServer.start(config(server.cert(), server.key(), Optional.of(clientCa),
                true))) {
            assertThat(statusWith(reloading.uri(), alice)).isEqualTo(200);
            Files.copy(otherCa.cert(), clientCa, StandardCopyOption.REPLACE_EXISTING);
            await("the third CA's client is let in", () -> statusWith(reloading.uri(), aliceOfThirdCa) == 200);
            assertThat(statusWith(reloading.uri(), alice)).isEqualTo(-1);
        }
    }

    // ---- start-up

    @Test
    void aMissingCertificateFileStopsTheStartNamingKeyAndFile() {
        Path missing = dir.resolve("nowhere/tls.crt");
        assertThatThrownBy(() -> BerthServer.start(config(missing, server.key(), Optional.empty(), false)))
                .isInstanceOf(TlsFileException.class)
                .hasMessage("tls.cert: " + missing + ": no such file");
    }

    // ---- helpers

    /** The status of {@code GET /v2/} over a new connection presenting {@code client}; -1 when the handshake fails. */
    private int statusWith(URI base, TestPki.Issued client) {
        try (HttpClient http = client(HttpClient.Version.HTTP_1_1, pki.trustingAndInsistingOn(ca.cert(), client))) {
            return http.send(get(base, "/v2/", null, null), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The serial number of the certificate a brand-new connection to {@code base} is served. */
    private BigInteger serialOfANewConnection(URI base) {
        try (HttpClient http = client(HttpClient.Version.HTTP_1_1, TestPki.trusting(ca.cert()))) {
            HttpResponse<Void> response = http.send(get(base, "/v2/", null, null),
                    HttpResponse.BodyHandlers.discarding());
            return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            throw new AssertionError("no TLS connection to " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits (checking every 200 ms, at most {@link #RELOAD_DEADLINE}) until {@code condition} holds. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(RELOAD_DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + RELOAD_DEADLINE + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    private static HttpClient client(HttpClient.Version version, SSLContext context) {
        return HttpClient.newBuilder().version(version).sslContext(context).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpRequest get(URI base, String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return request.build();
    }

    private static HttpRequest post(URI base, String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return request.build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    /**
     * {@code openssl s_client} with {@code version} (such as {@code -tls1_1}) and {@code options}, at a security
     * level allowing old versions; it connects, reads nothing and quits.
     */
    private Process sClient(String version, String... options) throws Exception {
        Path out = Files.createTempFile(dir, "s_client-", ".log");
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                tlsOnly.uri().getHost() + ":" + tlsOnly.uri().getPort(), version, "-cipher", "DEFAULT@SECLEVEL=0",
                "-CAfile", ca.cert().toString(), "-verify_return_error"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish");
        }
        outputs.put(process, Files.readString(out, StandardCharsets.ISO_8859_1));
        return process;
    }

    private final Map<Process, String> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    private String output(Process process) {
        return outputs.get(process);
    }
}
