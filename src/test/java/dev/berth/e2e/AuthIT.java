package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.berth.auth.HtpasswdEditor;
import java.net.URI;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real clients against a Berth process with an auth section: HTTP Basic credentials over plain HTTP. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthIT {
    private static final String RULES = "[{repositories: \"e2e/**\", users: [alice], actions: [pull, push]},"
            + " {repositories: \"e2e/**\", users: [bob], actions: [pull]}]";

    @TempDir
    Path dir;

    private Path htpasswd;

    @BeforeEach
    void users() throws Exception {
        // The rules only mean something to Berth; the Distribution target has no such configuration.
        Assumptions.assumeTrue(BerthProcess.Target.fromSystemProperty() == BerthProcess.Target.BERTH);
        htpasswd = dir.resolve("users.htpasswd");
        HtpasswdEditor.put(htpasswd, "alice", "alice secret".toCharArray());
        HtpasswdEditor.put(htpasswd, "bob", "bob secret".toCharArray());
    }

    private BerthProcess.Launch launch(boolean anonymousPull) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("storage.driver", "filesystem");
        settings.put("storage.filesystem.root", dir.resolve("storage").toString());
        settings.put("auth.htpasswd", htpasswd.toString());
        settings.put("auth.anonymous-pull", Boolean.toString(anonymousPull));
        settings.put("auth.rules", RULES);
        return BerthProcess.Launch.configured(settings);
    }

    @Test
    void skopeoPushesAndPullsWithCredentialsAndWrongOrMissingOnesFail() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 501, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("auth-skopeo", launch(false))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/secured:v1";

            Tools.Result wrong = skopeo.tryCopy(List.of("--dest-creds", "alice:not her password"),
                    layout.reference("v1"), ref);
            assertThat(wrong.exitCode()).as(wrong.describe()).isNotZero();
            assertThat(wrong.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("unauthorized", "authentication");

            Tools.Result none = skopeo.tryCopy(List.of(), layout.reference("v1"), ref);
            assertThat(none.exitCode()).as(none.describe()).isNotZero();

            Tools.Result pullOnly = skopeo.tryCopy(List.of("--dest-creds", "bob:bob secret"),
                    layout.reference("v1"), ref);
            assertThat(pullOnly.exitCode()).as(pullOnly.describe()).isNotZero();
            assertThat(pullOnly.stderr().toLowerCase(Locale.ROOT)).containsAnyOf("denied", "403");

            skopeo.copy(List.of("--dest-creds", "alice:alice secret"), layout.reference("v1"), ref);

            Path out = dir.resolve("pulled");
            skopeo.copy(List.of("--src-creds", "bob:bob secret"), ref, "oci:" + out + ":v1");
            assertThat(Files.readAllBytes(out.resolve("blobs/sha256").resolve(Digests.hex(image.manifest().digest()))))
                    .isEqualTo(layout.blob(image.manifest().digest()));
            Tools.Result anonymousPull = skopeo.tryCopy(List.of(), ref, "oci:" + dir.resolve("anonymous") + ":v1");
            assertThat(anonymousPull.exitCode()).as(anonymousPull.describe()).isNotZero();
        }
    }

    @Test
    void withAnonymousPullSkopeoPullsWithoutCredentialsAndStillPushesWithThem() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        layout.addImage("v1", 502, 1, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("auth-anonymous", launch(true))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/public:v1";
            skopeo.copy(List.of("--dest-creds", "alice:alice secret"), layout.reference("v1"), ref);
            skopeo.copy(List.of(), ref, "oci:" + dir.resolve("pulled") + ":v1");
            assertThat(skopeo.tryCopy(List.of(), layout.reference("v1"), ref).exitCode()).isNotZero();
        }
    }

    @Test
    void jibPushesWithCredentials() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path run = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho secured\n");
        // Jib keeps credentials off plain HTTP unless told otherwise; TlsIT pushes with them over TLS instead.
        String sendOverHttp = System.setProperty("sendCredentialsOverHttp", "true");
        try (BerthProcess registry = BerthProcess.start("auth-jib", launch(false))) {
            JibContainer container = Jib.fromScratch()
                    .addLayer(List.of(run), AbsoluteUnixPath.get("/app"))
                    .setEntrypoint("/app/run.sh")
                    .containerize(Containerizer.to(RegistryImage.named(registry.hostPort() + "/e2e/jib:v1")
                                    .addCredential("alice", "alice secret"))
                            .setAllowInsecureRegistries(true)
                            .setBaseImageLayersCache(dir.resolve("jib-cache/base"))
                            .setApplicationLayersCache(dir.resolve("jib-cache/app"))
                            .setToolName("berth-e2e"));

            HttpResponse<byte[]> served = get(registry.uri(), "/v2/e2e/jib/manifests/v1", "bob", "bob secret");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(Digests.of(served.body())).isEqualTo(container.getDigest().toString());
            assertThat(get(registry.uri(), "/v2/e2e/jib/manifests/v1", null, null).statusCode()).isEqualTo(401);
        } finally {
            if (sendOverHttp == null) {
                System.clearProperty("sendCredentialsOverHttp");
            } else {
                System.setProperty("sendCredentialsOverHttp", sendOverHttp);
            }
        }
    }

    private static HttpResponse<byte[]> get(URI base, String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json,"
                        + " application/vnd.oci.image.manifest.v1+json");
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }
}
