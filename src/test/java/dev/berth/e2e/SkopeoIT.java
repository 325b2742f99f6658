package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** skopeo pushes to and pulls from a real registry process: bytes, media types, indexes, tags and deletes. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SkopeoIT {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void multiLayerOciImagePushedAndPulledBackIsByteIdentical() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 101, 3, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("skopeo-oci", dir.resolve("storage"))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/multi:v1";
            skopeo.copy(List.of(), layout.reference("v1"), ref);

            RegistryHttp http = new RegistryHttp(registry);
            byte[] manifest = layout.blob(image.manifest().digest());
            for (String reference : List.of("v1", image.manifest().digest())) {
                HttpResponse<byte[]> served = http.getManifest("e2e/multi", reference);
                RegistryHttp.expect(served, 200, "GET manifest " + reference);
                assertThat(served.body()).as("manifest bytes by %s", reference).isEqualTo(manifest);
                assertThat(served.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_MANIFEST);
                assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(image.manifest().digest());
            }
            for (OciLayout.Descriptor blob : image.blobs()) {
                HttpResponse<byte[]> served = http.getBlob("e2e/multi", blob.digest());
                RegistryHttp.expect(served, 200, "GET blob " + blob.digest());
                assertThat(served.body()).as("blob %s", blob.digest()).isEqualTo(layout.blob(blob.digest()));
            }

            Path out = dir.resolve("pulled");
            skopeo.copy(List.of(), ref, "oci:" + out + ":v1");
            assertThat(Files.readAllBytes(out.resolve("blobs/sha256").resolve(Digests.hex(image.manifest().digest()))))
                    .as("manifest pulled by skopeo").isEqualTo(manifest);
            assertSameBlobs(layout.dir(), out);
        }
    }

    @Test
    void dockerSchema2PushIsServedWithItsMediaTypeAndPullsBackIdentically() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 202, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("skopeo-v2s2", dir.resolve("storage"))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/docker:v1";
            skopeo.copy(List.of("--format", "v2s2"), layout.reference("v1"), ref);

            RegistryHttp http = new RegistryHttp(registry);
            HttpResponse<byte[]> served = http.getManifest("e2e/docker", "v1");
            RegistryHttp.expect(served, 200, "GET manifest");
            assertThat(served.headers().firstValue("Content-Type")).hasValue(DOCKER_MANIFEST);
            String digest = Digests.of(served.body());
            assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
            JsonNode manifest = JSON.readTree(served.body());
            assertThat(manifest.path("mediaType").asText()).isEqualTo(DOCKER_MANIFEST);
            List<String> layerDigests = new ArrayList<>();
            manifest.path("layers").forEach(layer -> layerDigests.add(layer.path("digest").asText()));
            // Converting the manifest format keeps the compressed layers as they are.
            assertThat(layerDigests).containsExactlyElementsOf(image.layers().stream()
                    .map(OciLayout.Descriptor::digest).toList());

            HttpResponse<byte[]> byDigest = http.getManifest("e2e/docker", digest);
            RegistryHttp.expect(byDigest, 200, "GET manifest by digest");
            assertThat(byDigest.body()).isEqualTo(served.body());
            assertThat(byDigest.headers().firstValue("Content-Type")).hasValue(DOCKER_MANIFEST);

            String configDigest = manifest.path("config").path("digest").asText();
            assertThat(http.hashBlob("e2e/docker", configDigest).digest()).isEqualTo(configDigest);

            // dir: keeps the manifest and blobs exactly as the registry served them.
            Path out = dir.resolve("pulled");
            skopeo.copy(List.of(), ref, "dir:" + out);
            assertThat(Files.readAllBytes(out.resolve("manifest.json"))).isEqualTo(served.body());
            for (OciLayout.Descriptor layer : image.layers()) {
                assertThat(Files.readAllBytes(out.resolve(Digests.hex(layer.digest()))))
                        .as("layer %s", layer.digest()).isEqualTo(layout.blob(layer.digest()));
            }
            assertThat(Digests.of(Files.readAllBytes(out.resolve(Digests.hex(configDigest))))).isEqualTo(configDigest);
        }
    }

    @Test
    void twoPlatformIndexCopiedWithAllKeepsEveryManifestAndBlob() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.MultiPlatform index = layout.addMultiPlatform("multi", 303, 2, List.of("amd64", "arm64"));
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("skopeo-index", dir.resolve("storage"))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/index:multi";
            skopeo.copy(List.of("--all"), layout.reference("multi"), ref);

            RegistryHttp http = new RegistryHttp(registry);
            HttpResponse<byte[]> served = http.getManifest("e2e/index", "multi");
            RegistryHttp.expect(served, 200, "GET index");
            assertThat(served.body()).isEqualTo(layout.blob(index.index().digest()));
            assertThat(served.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_INDEX);
            assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(index.index().digest());
            for (OciLayout.Image image : index.images()) {
                HttpResponse<byte[]> manifest = http.getManifest("e2e/index", image.manifest().digest());
                RegistryHttp.expect(manifest, 200, "GET " + image.architecture() + " manifest");
                assertThat(manifest.body()).isEqualTo(layout.blob(image.manifest().digest()));
                assertThat(manifest.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_MANIFEST);
                for (OciLayout.Descriptor blob : image.blobs()) {
                    assertThat(http.hashBlob("e2e/index", blob.digest()))
                            .isEqualTo(new Digests.Hashed(blob.digest(), blob.size()));
                }
            }

            Path out = dir.resolve("pulled");
            skopeo.copy(List.of("--all"), ref, "oci:" + out + ":multi");
            assertSameBlobs(layout.dir(), out);
        }
    }

    @Test
    void listTagsShowsEveryPushedTag() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        layout.addImage("v1", 404, 1, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("skopeo-tags", dir.resolve("storage"))) {
            String repository = "docker://" + registry.hostPort() + "/e2e/tags";
            for (String tag : List.of("1.0", "1.1", "latest")) {
                skopeo.copy(List.of(), layout.reference("v1"), repository + ":" + tag);
            }
            Tools.Result result = skopeo.listTags(repository).check();
            JsonNode tags = JSON.readTree(result.stdout()).path("Tags");
            Set<String> listed = new TreeSet<>();
            tags.forEach(tag -> listed.add(tag.asText()));
            assertThat(listed).as(result.describe()).containsExactly("1.0", "1.1", "latest");
        }
    }

    @Test
    void deletedManifestIsGone() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 505, 2, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("skopeo-delete", dir.resolve("storage"))) {
            String ref = "docker://" + registry.hostPort() + "/e2e/deleted:v1";
            skopeo.copy(List.of(), layout.reference("v1"), ref);
            RegistryHttp http = new RegistryHttp(registry);
            RegistryHttp.expect(http.getManifest("e2e/deleted", image.manifest().digest()), 200, "GET before delete");

            skopeo.delete(ref).check();

            for (String reference : List.of(image.manifest().digest(), "v1")) {
                HttpResponse<byte[]> gone = http.getManifest("e2e/deleted", reference);
                RegistryHttp.expect(gone, 404, "GET manifest " + reference + " after delete");
                assertThat(new String(gone.body())).as(RegistryHttp.describe(gone)).contains("MANIFEST_UNKNOWN");
                RegistryHttp.expect(http.headManifest("e2e/deleted", reference), 404,
                        "HEAD manifest " + reference + " after delete");
            }
            Tools.Result inspect = skopeo.inspectRaw(ref);
            assertThat(inspect.exitCode()).as(inspect.describe()).isNotZero();
        }
    }

    /** Every blob in {@code expected}'s layout is in {@code actual}'s with the same bytes (and nothing else). */
    private static void assertSameBlobs(Path expected, Path actual) throws IOException {
        Set<String> expectedNames = blobNames(expected);
        assertThat(blobNames(actual)).containsExactlyInAnyOrderElementsOf(expectedNames);
        for (String name : expectedNames) {
            assertThat(Files.readAllBytes(actual.resolve("blobs/sha256").resolve(name)))
                    .as("blob sha256:%s", name)
                    .isEqualTo(Files.readAllBytes(expected.resolve("blobs/sha256").resolve(name)));
        }
    }

    private static Set<String> blobNames(Path layout) throws IOException {
        try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
            return files.map(file -> file.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
