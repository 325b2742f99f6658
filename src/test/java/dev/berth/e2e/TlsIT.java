package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.berth.auth.HtpasswdEditor;
import dev.berth.tls.TestPki;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients against a Berth process serving TLS with a CA made by the test, verifying its certificate (never
 * {@code --tls-verify=false}): Basic credentials with skopeo, podman and Jib, bearer tokens from Berth's token
 * endpoint with skopeo and podman, and client certificates (mTLS) with skopeo and podman.
 */
@ExtendWith(FailureLogs.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsIT {
    private static final String RULES = "[{repositories: \"e2e/**\", users: [alice], actions: [pull, push]},"
            + " {repositories: \"e2e/**\", users: [bob], actions: [pull]}]";

    @TempDir
    Path dir;

    private TestPki pki;
    private TestPki.Authority ca;
    private TestPki.Issued server;
    private Path htpasswd;
    /** What a client needs to trust Berth: the CA certificate as {@code ca.crt}, as containers/image reads it. */
    private Path caDir;

    @BeforeEach
    void certificatesAndUsers() throws Exception {
        // TLS and rules only mean something to Berth; the Distribution target has no such configuration.
        Assumptions.assumeTrue(BerthProcess.Target.fromSystemProperty() == BerthProcess.Target.BERTH);
        pki = TestPki.in(dir.resolve("pki"));
        ca = pki.authority("ca", "Berth e2e CA");
        server = ca.server("server", TestPki.KeyType.EC_P256);
        caDir = Files.createDirectories(dir.resolve("certs.d/ca-only"));
        Files.copy(ca.cert(), caDir.resolve("ca.crt"));
        htpasswd = dir.resolve("users.htpasswd");
        HtpasswdEditor.put(htpasswd, "alice", "alice secret".toCharArray());
        HtpasswdEditor.put(htpasswd, "bob", "bob secret".toCharArray());
    }

    private BerthProcess.Launch launch() {
        return launch(Map.of());
    }

    private BerthProcess.Launch launch(Map<String, String> more) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("storage.driver", "filesystem");
        settings.put("storage.filesystem.root", dir.resolve("storage").toString());
        settings.put("auth.htpasswd", htpasswd.toString());
        settings.put("auth.rules", RULES);
        settings.putAll(more);
        return BerthProcess.Launch.configured(settings).withTls(server.cert(), server.key(), ca.cert(), ca.cert());
    }

    /** A containers/image certificate directory: the CA, and the client certificate of {@code client} if any. */
    private Path certDir(String name, TestPki.Issued client) throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs.d/" + name));
        Files.copy(ca.cert(), certs.resolve("ca.crt"));
        Files.copy(client.cert(), certs.resolve("client.cert"));
        Files.copy(client.key(), certs.resolve("client.key"));
        return certs;
    }

    @Test
    void skopeoPushesWithCredentialsOverVerifiedTlsAndPullsBackTheSameBytes() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 701, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo")).verifyingTls();
        try (BerthProcess registry = BerthProcess.start("tls-skopeo", launch())) {
            String ref = "docker://" + registry.hostPort() + "/e2e/secured:v1";

            // Without the CA the certificate is not trusted: verification is really on.
            Tools.Result untrusted = skopeo.tryCopy(List.of("--dest-creds", "alice:alice secret"),
                    layout.reference("v1"), ref);
            assertThat(untrusted.exitCode()).as(untrusted.describe()).isNotZero();
            assertThat(untrusted.stderr()).contains("certificate signed by unknown authority");

            Tools.Result wrong = skopeo.tryCopy(List.of("--dest-cert-dir", caDir.toString(),
                    "--dest-creds", "alice:not her password"), layout.reference("v1"), ref);
            assertThat(wrong.exitCode()).as(wrong.describe()).isNotZero();
            assertThat(wrong.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("unauthorized", "authentication");

            Tools.Result pullOnly = skopeo.tryCopy(List.of("--dest-cert-dir", caDir.toString(),
                    "--dest-creds", "bob:bob secret"), layout.reference("v1"), ref);
            assertThat(pullOnly.exitCode()).as(pullOnly.describe()).isNotZero();
            assertThat(pullOnly.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("denied", "403");

            Tools.Result anonymous = skopeo.tryCopy(List.of("--dest-cert-dir", caDir.toString()),
                    layout.reference("v1"), ref);
            assertThat(anonymous.exitCode()).as(anonymous.describe()).isNotZero();
            assertThat(anonymous.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("unauthorized", "authentication");

            skopeo.copy(List.of("--dest-cert-dir", caDir.toString(), "--dest-creds", "alice:alice secret"),
                    layout.reference("v1"), ref);

            Path out = dir.resolve("pulled");
            skopeo.copy(List.of("--src-cert-dir", caDir.toString(), "--src-creds", "bob:bob secret"), ref,
                    "oci:" + out + ":v1");
            assertSameBlobs(layout, image, out);
        }
    }

    @Test
    void podmanLogsInWithTheCaCertDirPushesAndPulls() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 702, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo")).verifyingTls();
        try (BerthProcess registry = BerthProcess.start("tls-podman", launch());
             Podman podman = Podman.in(dir.resolve("podman"));
             Podman fresh = Podman.in(dir.resolve("podman-fresh"))) {
            String source = registry.hostPort() + "/e2e/source:v1";
            String copy = registry.hostPort() + "/e2e/copy:v1";
            skopeo.copy(List.of("--dest-cert-dir", caDir.toString(), "--dest-creds", "alice:alice secret"),
                    layout.reference("v1"), "docker://" + source);

            Tools.Result wrong = podman.tryLogin(registry.hostPort(), "alice", "not her password", caDir);
            assertThat(wrong.exitCode()).as(wrong.describe()).isNotZero();
            podman.tryLogin(registry.hostPort(), "alice", "alice secret", caDir).check();

            String id = podman.pull("docker://" + source, caDir);
            assertThat(id).isEqualTo(Digests.hex(image.config().digest()));
            podman.tryPush(source, "docker://" + copy, caDir).check();
            HttpResponse<byte[]> pushed = get(registry, "/v2/e2e/copy/manifests/v1", "bob", "bob secret");
            assertThat(pushed.statusCode()).isEqualTo(200);
            assertThat(pushed.body()).contains(image.config().digest().getBytes(StandardCharsets.UTF_8));

            // bob logs in too, may pull, and may not push.
            fresh.tryLogin(registry.hostPort(), "bob", "bob secret", caDir).check();
            assertThat(fresh.pull("docker://" + copy, caDir)).isEqualTo(id);
            Tools.Result denied = fresh.tryPush(copy, "docker://" + registry.hostPort() + "/e2e/bob:v1", caDir);
            assertThat(denied.exitCode()).as(denied.describe()).isNotZero();
            assertThat(denied.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("denied", "403");
        }
    }

    @Test
    void skopeoAndPodmanLogInThroughTheTokenEndpointOverVerifiedTls() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 704, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo")).verifyingTls();
        Map<String, String> tokens = Map.of("auth.token.enabled", "true", "auth.token.service", "berth-e2e-tls");
        try (BerthProcess registry = BerthProcess.start("tls-token", launch(tokens));
             Podman podman = Podman.in(dir.resolve("podman"))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/token:v1";
            HttpResponse<byte[]> challenge = get(registry, "/v2/", null, null);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValue(
                    "Bearer realm=\"" + registry.uri() + "/token\",service=\"berth-e2e-tls\"");

            Tools.Result wrong = skopeo.tryCopy(List.of("--dest-cert-dir", caDir.toString(),
                    "--dest-creds", "alice:not her password"), layout.reference("v1"), ref);
            assertThat(wrong.exitCode()).as(wrong.describe()).isNotZero();
            Tools.Result pullOnly = skopeo.tryCopy(List.of("--dest-cert-dir", caDir.toString(),
                    "--dest-creds", "bob:bob secret"), layout.reference("v1"), ref);
            assertThat(pullOnly.exitCode()).as(pullOnly.describe()).isNotZero();

            skopeo.copy(List.of("--dest-cert-dir", caDir.toString(), "--dest-creds", "alice:alice secret"),
                    layout.reference("v1"), ref);
            Path out = dir.resolve("pulled");
            skopeo.copy(List.of("--src-cert-dir", caDir.toString(), "--src-creds", "bob:bob secret"), ref,
                    "oci:" + out + ":v1");
            assertSameBlobs(layout, image, out);

            // podman login checks the password at the token endpoint; push and pull then carry tokens.
            Tools.Result badLogin = podman.tryLogin(registry.hostPort(), "alice", "not her password", caDir);
            assertThat(badLogin.exitCode()).as(badLogin.describe()).isNotZero();
            podman.tryLogin(registry.hostPort(), "alice", "alice secret", caDir).check();
            String id = podman.pull(ref, caDir);
            assertThat(id).isEqualTo(Digests.hex(image.config().digest()));
            podman.tryPush(registry.hostPort() + "/e2e/token:v1",
                    "docker://" + registry.hostPort() + "/e2e/token-copy:v1", caDir).check();
            assertThat(get(registry, "/v2/e2e/token-copy/manifests/v1", "bob", "bob secret").statusCode())
                    .isEqualTo(200);
            // Both clients went through the token endpoint, not Basic on the registry's routes.
            assertThat(Files.readString(registry.logFile()))
                    .contains("token for alice at berth-e2e-tls: asked [repository:e2e/token:pull,push]")
                    .contains("token for bob at berth-e2e-tls");
        }
    }

    @Test
    void clientCertificatesInTheCertDirPushAndPullAsTheirUserWithoutAPassword() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 703, 2, "amd64");
        Path aliceCerts = certDir("alice", ca.client("alice", "alice"));
        Path bobCerts = certDir("bob", ca.client("bob", "bob"));
        Path strangerCerts = certDir("stranger", pki.authority("other-ca", "Another CA").client("mallory", "alice"));
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo")).verifyingTls();
        try (BerthProcess registry = BerthProcess.start("tls-mtls", launch());
             Podman podman = Podman.in(dir.resolve("podman"))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/mtls:v1";

            Tools.Result bob = skopeo.tryCopy(List.of("--dest-cert-dir", bobCerts.toString()),
                    layout.reference("v1"), ref);
            assertThat(bob.exitCode()).as(bob.describe()).isNotZero();
            assertThat(bob.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("denied", "403");
            // A certificate for "alice" from a CA Berth does not trust is no login (Go does not even send it).
            Tools.Result stranger = skopeo.tryCopy(List.of("--dest-cert-dir", strangerCerts.toString()),
                    layout.reference("v1"), ref);
            assertThat(stranger.exitCode()).as(stranger.describe()).isNotZero();
            assertThat(stranger.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("unauthorized", "certificate");

            skopeo.copy(List.of("--dest-cert-dir", aliceCerts.toString()), layout.reference("v1"), ref);
            Path out = dir.resolve("pulled");
            skopeo.copy(List.of("--src-cert-dir", bobCerts.toString()), ref, "oci:" + out + ":v1");
            assertSameBlobs(layout, image, out);

            // podman, with no login at all: the certificate is the login.
            String id = podman.pull(ref, aliceCerts);
            assertThat(id).isEqualTo(Digests.hex(image.config().digest()));
            podman.tryPush(registry.hostPort() + "/e2e/mtls:v1",
                    "docker://" + registry.hostPort() + "/e2e/mtls-copy:v1", aliceCerts).check();
            assertThat(get(registry, "/v2/e2e/mtls-copy/manifests/v1", "bob", "bob secret").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void jibPushesWithCredentialsOverTlsTrustingTheTestCa() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path run = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho secured over tls\n");
        // Jib's HTTPS transport takes the JVM's default SSLContext (SSLConnectionSocketFactory.getSystemSocketFactory)
        // each time it connects; a Jib user passes -Djavax.net.ssl.trustStore for that. The CA only exists once the
        // test has made it, after this JVM started, so the test sets the default context around Jib's run instead.
        SSLContext previous = SSLContext.getDefault();
        try (BerthProcess registry = BerthProcess.start("tls-jib", launch())) {
            SSLContext.setDefault(TestPki.trusting(ca.cert()));
            JibContainer container;
            try {
                container = Jib.fromScratch()
                        .addLayer(List.of(run), AbsoluteUnixPath.get("/app"))
                        .setEntrypoint("/app/run.sh")
                        .containerize(Containerizer.to(RegistryImage.named(registry.hostPort() + "/e2e/jib:v1")
                                        .addCredential("alice", "alice secret"))
                                .setBaseImageLayersCache(dir.resolve("jib-cache/base"))
                                .setApplicationLayersCache(dir.resolve("jib-cache/app"))
                                .setToolName("berth-e2e"));
            } finally {
                SSLContext.setDefault(previous);
            }
            HttpResponse<byte[]> served = get(registry, "/v2/e2e/jib/manifests/v1", "bob", "bob secret");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(Digests.of(served.body())).isEqualTo(container.getDigest().toString());
            assertThat(get(registry, "/v2/e2e/jib/manifests/v1", null, null).statusCode()).isEqualTo(401);
        }
    }

    /** The manifest and every blob skopeo wrote to the layout at {@code pulled} are the bytes of {@code image}. */
    private static void assertSameBlobs(OciLayout layout, OciLayout.Image image, Path pulled) throws Exception {
        Path blobs = pulled.resolve("blobs/sha256");
        assertThat(Files.readAllBytes(blobs.resolve(Digests.hex(image.manifest().digest()))))
                .isEqualTo(layout.blob(image.manifest().digest()));
        for (OciLayout.Descriptor blob : image.blobs()) {
            assertThat(Files.readAllBytes(blobs.resolve(Digests.hex(blob.digest())))).as(blob.digest())
                    .isEqualTo(layout.blob(blob.digest()));
        }
    }

    private static HttpResponse<byte[]> get(BerthProcess registry, String path, String user, String password)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(registry.uri().resolve(path))
                .header("Accept", RegistryHttp.ACCEPT_MANIFESTS);
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try (HttpClient client = registry.httpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }
}
