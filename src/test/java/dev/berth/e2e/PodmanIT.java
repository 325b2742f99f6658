package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** podman (root, vfs, private storage) pulls, pushes to another repository by cross-repository mount, and pulls again. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PodmanIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void imagePushedBySkopeoPullsPushesToAnotherRepositoryAndPullsBackWithTheSameIdAndLayers() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 606, 3, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("podman", dir.resolve("storage"))) {
            skopeo.copy(List.of(), layout.reference("v1"), "docker://" + registry.hostPort() + "/e2e/source:v1");

            try (Podman first = Podman.in(dir.resolve("podman-first"));
                 Podman fresh = Podman.in(dir.resolve("podman-fresh"))) {
                pushAndPullAgain(registry, image, first, fresh);
            }
        }
    }

    private void pushAndPullAgain(BerthProcess registry, OciLayout.Image image, Podman first, Podman fresh)
            throws Exception {
        String source = registry.hostPort() + "/e2e/source:v1";
        String copy = registry.hostPort() + "/e2e/copy:v1";
        String pulledId = first.pull("docker://" + source);
        // podman's image id is the config digest: same config bytes, same id.
        assertThat(pulledId).isEqualTo(Digests.hex(image.config().digest()));
        assertThat(first.inspect(source, "{{.Digest}}")).isEqualTo(image.manifest().digest());

        first.push(source, "docker://" + copy);

        RegistryHttp http = new RegistryHttp(registry);
        HttpResponse<byte[]> copied = http.getManifest("e2e/copy", "v1");
        RegistryHttp.expect(copied, 200, "GET pushed manifest");
        String copiedDigest = Digests.of(copied.body());
        assertThat(copied.headers().firstValue("Docker-Content-Digest")).hasValue(copiedDigest);
        JsonNode manifest = JSON.readTree(copied.body());
        assertThat(manifest.path("config").path("digest").asText()).isEqualTo(image.config().digest());
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(layer.path("digest").asText()));
        // podman reuses the compressed layers it pulled (mounting them from e2e/source), so the digests stay.
        assertThat(layers).containsExactlyElementsOf(image.layers().stream().map(OciLayout.Descriptor::digest).toList());
        for (OciLayout.Descriptor blob : image.blobs()) {
            assertThat(http.hashBlob("e2e/copy", blob.digest()))
                    .isEqualTo(new Digests.Hashed(blob.digest(), blob.size()));
        }

        assertThat(fresh.run(List.of("images", "--quiet")).check().stdout()).isBlank();
        String againId = fresh.pull("docker://" + copy);
        assertThat(againId).isEqualTo(pulledId);
        assertThat(fresh.inspect(copy, "{{.Digest}}")).isEqualTo(copiedDigest);
        assertThat(fresh.inspect(copy, "{{json .RootFS.Layers}}"))
                .isEqualTo(JSON.writeValueAsString(image.diffIds()));
    }
}
