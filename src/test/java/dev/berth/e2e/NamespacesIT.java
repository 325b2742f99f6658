package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo pushes to three isolated registries of one Berth process and pulls each image back: team-a chosen by the
 * host name {@code localhost}, team-b by the repository prefix {@code team-b/} on {@code 127.0.0.1}, and the default
 * namespace for everything else on {@code 127.0.0.1}.
 */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NamespacesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACES = "[{name: team-a, hosts: [localhost]}, {name: team-b, prefix: team-b}]";

    @TempDir
    Path dir;

    @Test
    void imagesPushedToTwoNamespacesPullBackByteIdenticalAndStayApart() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image shared = layout.addImage("shared", 701, 2, "amd64");
        OciLayout.Image other = layout.addImage("other", 702, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        Path storage = dir.resolve("storage");
        try (BerthProcess registry = BerthProcess.start("namespaces", BerthProcess.Launch.filesystem(storage)
                .withSettings(Map.of("namespaces", NAMESPACES)))) {
            String byHost = "docker://localhost:" + registry.port() + "/app";
            String byPrefix = "docker://127.0.0.1:" + registry.port() + "/team-b/app";
            String inDefault = "docker://127.0.0.1:" + registry.port() + "/app";
            skopeo.copy(List.of(), layout.reference("shared"), byHost + ":v1");
            skopeo.copy(List.of(), layout.reference("shared"), byPrefix + ":v1");
            skopeo.copy(List.of(), layout.reference("other"), inDefault + ":v1");

            // Each pulls back byte for byte.
            for (var pull : List.of(Map.entry(byHost, shared), Map.entry(byPrefix, shared),
                    Map.entry(inDefault, other))) {
                Path out = dir.resolve("pulled-" + Math.abs(pull.getKey().hashCode()));
                skopeo.copy(List.of(), pull.getKey() + ":v1", "oci:" + out + ":v1");
                assertThat(Files.readAllBytes(out.resolve("blobs/sha256")
                        .resolve(Digests.hex(pull.getValue().manifest().digest()))))
                        .as("manifest pulled from %s", pull.getKey())
                        .isEqualTo(layout.blob(pull.getValue().manifest().digest()));
                for (OciLayout.Descriptor blob : pull.getValue().blobs()) {
                    assertThat(Files.readAllBytes(out.resolve("blobs/sha256").resolve(Digests.hex(blob.digest()))))
                            .as("blob %s from %s", blob.digest(), pull.getKey()).isEqualTo(layout.blob(blob.digest()));
                }
            }

            // The same name in the default namespace holds the other image; team-a's digests are unknown there.
            RegistryHttp root = new RegistryHttp(registry);
            assertThat(root.getManifest("app", "v1").body()).isEqualTo(layout.blob(other.manifest().digest()));
            RegistryHttp.expect(root.getManifest("app", shared.manifest().digest()), 404, "team-a's manifest in default");
            for (OciLayout.Descriptor blob : shared.blobs()) {
                RegistryHttp.expect(root.getBlob("app", blob.digest()), 404, "team-a's blob in default");
            }
            assertThat(tags(skopeo, "docker://127.0.0.1:" + registry.port() + "/team-b/app")).containsExactly("v1");

            // One image in two namespaces is stored twice, once under each namespace's prefix.
            for (OciLayout.Descriptor blob : shared.blobs()) {
                String hex = Digests.hex(blob.digest());
                for (String ns : List.of("team-a", "team-b")) {
                    assertThat(storage.resolve(ns + "/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data"))
                            .as("%s in %s", blob.digest(), ns).exists();
                }
                assertThat(storage.resolve("default/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data"))
                        .doesNotExist();
            }
            // team-b's repository is "app" inside team-b: the prefix chose the namespace.
            assertThat(storage.resolve("team-b/repositories/app/_manifests/tags/v1")).exists();
            assertThat(catalog(registry, "localhost")).containsExactly("app");
            assertThat(catalog(registry, "127.0.0.1")).containsExactly("app", "team-b/app");
        }
    }

    private static Set<String> tags(Skopeo skopeo, String repository) throws IOException {
        Tools.Result result = skopeo.listTags(repository).check();
        Set<String> listed = new TreeSet<>();
        JSON.readTree(result.stdout()).path("Tags").forEach(tag -> listed.add(tag.asText()));
        return listed;
    }

    private static List<String> catalog(BerthProcess registry, String host)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = registry.httpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + host + ":" + registry.port() + "/v2/_catalog")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        RegistryHttp.expect(response, 200, "catalog at " + host);
        List<String> names = new ArrayList<>();
        JSON.readTree(response.body()).path("repositories").forEach(name -> names.add(name.asText()));
        return names;
    }
}
