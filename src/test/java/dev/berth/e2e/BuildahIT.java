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

/** buildah (root, vfs) builds an image and a two-platform list from scratch, pushes them; a fresh buildah pulls them. */
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

    @Test
    void twoPlatformManifestListPushedWithAllIsServedAsAnIndexAndPullsBackPerArchitecture() throws Exception {
        try (BerthProcess registry = BerthProcess.start("buildah-list", dir.resolve("storage"));
             Buildah first = Buildah.in(dir.resolve("buildah-first"));
             Buildah fresh = Buildah.in(dir.resolve("buildah-fresh"))) {
            List<String> ids = new ArrayList<>();
            for (String arch : List.of("amd64", "arm64")) {
                Path file = Files.writeString(dir.resolve(arch + ".txt"), "built for " + arch + "\n");
                String container = first.from("scratch");
                first.run(List.of("copy", container, file.toString(), "/" + arch + ".txt")).check();
                first.run(List.of("config", "--os", "linux", "--arch", arch, container)).check();
                ids.add(first.commit(container, "localhost/e2e/multi:" + arch));
            }
            first.run(List.of("manifest", "create", "localhost/e2e/list:v1")).check();
            for (String arch : List.of("amd64", "arm64")) {
                first.run(List.of("manifest", "add", "localhost/e2e/list:v1", "localhost/e2e/multi:" + arch)).check();
            }
            String list = registry.hostPort() + "/e2e/list:v1";
            String listDigest = first.pushList("localhost/e2e/list:v1", "docker://" + list);

            RegistryHttp http = new RegistryHttp(registry);
            HttpResponse<byte[]> index = http.getManifest("e2e/list", "v1");
            RegistryHttp.expect(index, 200, "GET pushed index");
            assertThat(Digests.of(index.body())).isEqualTo(listDigest);
            assertThat(index.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_INDEX);
            List<String> architectures = new ArrayList<>();
            for (JsonNode child : JSON.readTree(index.body()).path("manifests")) {
                architectures.add(child.path("platform").path("architecture").asText());
                JsonNode manifest = assertServed(http, "e2e/list", child.path("digest").asText(),
                        child.path("digest").asText(), child.path("mediaType").asText());
                assertThat(manifest.path("config").path("digest").asText())
                        .isEqualTo("sha256:" + ids.get(architectures.size() - 1));
            }
            assertThat(architectures).containsExactly("amd64", "arm64");

            for (int i = 0; i < 2; i++) {
                String arch = List.of("amd64", "arm64").get(i);
                String pulled = fresh.pull(List.of("--arch", arch), "docker://" + list);
                assertThat(pulled).as("image id pulled for %s", arch).isEqualTo(ids.get(i));
                String container = fresh.from(pulled);
                assertThat(fresh.mount(container).resolve(arch + ".txt")).hasContent("built for " + arch + "\n");
                fresh.run(List.of("umount", container)).check();
            }
        }
    }

    private static JsonNode assertServed(RegistryHttp http, String name, String digest, String mediaType)
            throws Exception {
        return assertServed(http, name, "v1", digest, mediaType);
    }

    /** The registry serves {@code name:reference} with the digest buildah reported and every blob it names. */
    private static JsonNode assertServed(RegistryHttp http, String name, String reference, String digest,
                                         String mediaType) throws Exception {
        HttpResponse<byte[]> served = http.getManifest(name, reference);
        RegistryHttp.expect(served, 200, "GET manifest " + name + ":" + reference);
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
