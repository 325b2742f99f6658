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

/** buildah (root, vfs, private storage) builds an image from scratch, pushes it, and a fresh buildah pulls it back. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BuildahIT {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void imageBuiltFromScratchPushesAsOciAndDockerAndPullsBackWithTheSameIdAndFile() throws Exception {
        String content = "built by buildah for Berth " + System.nanoTime() + "\n";
        Path file = Files.writeString(dir.resolve("hello.txt"), content);
        try (BerthProcess registry = BerthProcess.start("buildah", dir.resolve("storage"));
             Buildah first = Buildah.in(dir.resolve("buildah-first"));
             Buildah fresh = Buildah.in(dir.resolve("buildah-fresh"))) {
            String container = first.from("scratch");
            first.run(List.of("copy", container, file.toString(), "/hello.txt")).check();
            first.run(List.of("config", "--cmd", "/hello.txt", "--label", "dev.berth.e2e=buildah", container)).check();
            String imageId = first.commit(container, "localhost/e2e/built:v1");

            String oci = registry.hostPort() + "/e2e/built:v1";
            String ociDigest = first.push(List.of(), "localhost/e2e/built:v1", "docker://" + oci);
            String docker = registry.hostPort() + "/e2e/built-docker:v1";
            String dockerDigest = first.push(List.of("--format", "docker"), "localhost/e2e/built:v1",
                    "docker://" + docker);

            RegistryHttp http = new RegistryHttp(registry);
            JsonNode ociManifest = assertServed(http, "e2e/built", ociDigest, OciLayout.OCI_MANIFEST);
            // buildah's image id is the digest of the OCI config it committed and pushed.
            assertThat(ociManifest.path("config").path("digest").asText()).isEqualTo("sha256:" + imageId);
            assertThat(ociManifest.path("layers")).hasSize(1);
            JsonNode dockerManifest = assertServed(http, "e2e/built-docker", dockerDigest, DOCKER_MANIFEST);
            assertThat(dockerManifest.path("layers")).hasSize(1);

            assertThat(fresh.run(List.of("images", "--quiet")).check().stdout()).isBlank();
            String pulledId = fresh.pull("docker://" + oci);
            assertThat(pulledId).isEqualTo(imageId);
            String copy = fresh.from(oci);
            Path root = fresh.mount(copy);
            assertThat(root.resolve("hello.txt")).hasContent(content);
            fresh.run(List.of("umount", copy)).check();

            // The Docker form carries a converted config, so another id, but the same file.
            String dockerId = fresh.pull("docker://" + docker);
            String fromDocker = fresh.from(docker);
            assertThat(fresh.mount(fromDocker).resolve("hello.txt")).hasContent(content);
            fresh.run(List.of("umount", fromDocker)).check();
            assertThat(fresh.run(List.of("inspect", "--type", "image", "--format", "{{.FromImageDigest}}", docker))
                    .check().stdout().trim()).as("digest of the image pulled as %s (id %s)", docker, dockerId)
                    .isEqualTo(dockerDigest);
        }
    }

    /** The registry serves {@code name:v1} with the digest buildah reported and every blob the manifest names. */
    private static JsonNode assertServed(RegistryHttp http, String name, String digest, String mediaType)
            throws Exception {
        HttpResponse<byte[]> served = http.getManifest(name, "v1");
        RegistryHttp.expect(served, 200, "GET manifest " + name + ":v1");
        assertThat(Digests.of(served.body())).as("digest of the manifest bytes of %s", name).isEqualTo(digest);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        assertThat(served.headers().firstValue("Content-Type")).hasValue(mediaType);
        JsonNode manifest = JSON.readTree(served.body());
        List<JsonNode> blobs = new ArrayList<>();
        blobs.add(manifest.path("config"));
        manifest.path("layers").forEach(blobs::add);
        for (JsonNode blob : blobs) {
            String blobDigest = blob.path("digest").asText();
            assertThat(http.hashBlob(name, blobDigest)).as("blob %s in %s", blobDigest, name)
                    .isEqualTo(new Digests.Hashed(blobDigest, blob.path("size").asLong()));
        }
        return manifest;
    }
}
