package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * containerd 1.6 ({@code ctr}, native snapshotter) pulls images skopeo pushed, pushes them to another repository (by
 * cross-repository mount) and to an empty registry (by upload), and a fresh containerd pulls them back unchanged.
 */
@ExtendWith(FailureLogs.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ContainerdIT {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void singlePlatformImagePullsUnpacksPushesElsewhereAndPullsBackWithTheSameDigests() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        // Several layers: ctr transfers them all at once (no concurrency limit by default), so requests overlap.
        OciLayout.Image image = layout.addImage("v1", 707, 5, "amd64");
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("containerd", dir.resolve("storage"));
             BerthProcess empty = BerthProcess.start("containerd-empty", dir.resolve("storage-empty"))) {
            String source = registry.hostPort() + "/e2e/source:v1";
            skopeo.copy(List.of(), layout.reference("v1"), "docker://" + source);

            String copy = registry.hostPort() + "/e2e/copy:v1";
            String uploaded = empty.hostPort() + "/e2e/uploaded:v1";
            try (Containerd first = Containerd.start(dir.resolve("containerd-first"))) {
                first.pull(List.of(), source);
                assertThat(first.imageDigest(source)).isEqualTo(image.manifest().digest());
                assertHasContent(first, image);
                assertThat(first.check(source)).as("ctr images check").contains("complete").endsWith("true");
                assertUnpacked(first, image);

                // Same registry: containerd remembers where the blobs came from and mounts them.
                first.push(List.of(), copy, source);
                // Another registry: nothing to mount from, every blob is uploaded.
                first.push(List.of(), uploaded, source);
            }
            assertServedUnchanged(new RegistryHttp(registry), "e2e/copy", layout, image);
            assertServedUnchanged(new RegistryHttp(empty), "e2e/uploaded", layout, image);

            try (Containerd fresh = Containerd.start(dir.resolve("containerd-fresh"))) {
                for (String reference : List.of(copy, uploaded)) {
                    fresh.pull(List.of(), reference);
                    assertThat(fresh.imageDigest(reference)).isEqualTo(image.manifest().digest());
                    assertThat(fresh.check(reference)).as("ctr images check").contains("complete").endsWith("true");
                }
                assertHasContent(fresh, image);
                assertUnpacked(fresh, image);
            }
        }
    }

    @Test
    void twoPlatformIndexPullsWithAllPlatformsPushesElsewhereAndPullsBackOnePlatform() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.MultiPlatform multi = layout.addMultiPlatform("v1", 808, 2, List.of("amd64", "arm64"));
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("containerd-index", dir.resolve("storage"))) {
            String source = registry.hostPort() + "/e2e/multi:v1";
            skopeo.copy(List.of("--all"), layout.reference("v1"), "docker://" + source);

            String copy = registry.hostPort() + "/e2e/multi-copy:v1";
            try (Containerd first = Containerd.start(dir.resolve("containerd-first"))) {
                first.pull(List.of("--all-platforms"), source);
                assertThat(first.imageDigest(source)).isEqualTo(multi.index().digest());
                for (OciLayout.Image image : multi.images()) {
                    assertHasContent(first, image);
                }
                first.push(List.of(), copy, source);
            }

            RegistryHttp http = new RegistryHttp(registry);
            HttpResponse<byte[]> index = http.getManifest("e2e/multi-copy", "v1");
            RegistryHttp.expect(index, 200, "GET pushed index");
            assertThat(index.body()).as("index bytes").isEqualTo(layout.blob(multi.index().digest()));
            assertThat(index.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_INDEX);
            assertThat(index.headers().firstValue("Docker-Content-Digest")).hasValue(multi.index().digest());
            for (OciLayout.Image image : multi.images()) {
                assertServedUnchanged(http, "e2e/multi-copy", image.manifest().digest(), layout, image);
            }

            OciLayout.Image amd64 = multi.images().get(0);
            OciLayout.Image arm64 = multi.images().get(1);
            try (Containerd fresh = Containerd.start(dir.resolve("containerd-fresh"))) {
                fresh.pull(List.of("--platform", "linux/arm64/v8"), copy);
                assertThat(fresh.imageDigest(copy)).isEqualTo(multi.index().digest());
                assertHasContent(fresh, arm64);
                // Only the asked-for platform is fetched: the other's layers never left the registry.
                for (OciLayout.Descriptor layer : amd64.layers()) {
                    Tools.Result absent = fresh.ctr(List.of("content", "info", layer.digest()));
                    assertThat(absent.exitCode()).as("amd64 layer %s in content store\n%s", layer.digest(),
                            absent.describe()).isNotZero();
                }
            }
        }
    }

    @Test
    void dockerManifestListPullsByDigestForOnePlatformWhoseManifestPushesElsewhereUnchanged() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        layout.addMultiPlatform("v1", 818, 1, List.of("amd64", "arm64"));
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("containerd-docker-list", dir.resolve("storage"))) {
            String tagged = registry.hostPort() + "/e2e/docker-list:v1";
            skopeo.copy(List.of("--all", "--format", "v2s2"), layout.reference("v1"), "docker://" + tagged);
            RegistryHttp http = new RegistryHttp(registry);
            HttpResponse<byte[]> list = http.getManifest("e2e/docker-list", "v1");
            RegistryHttp.expect(list, 200, "GET list");
            assertThat(list.headers().firstValue("Content-Type")).hasValue(DOCKER_LIST);
            String listDigest = Digests.of(list.body());
            JsonNode amd64 = JSON.readTree(list.body()).path("manifests").get(0);
            assertThat(amd64.path("platform").path("architecture").asText()).isEqualTo("amd64");

            String byDigest = registry.hostPort() + "/e2e/docker-list@" + listDigest;
            String copy = registry.hostPort() + "/e2e/docker-list-copy:v1";
            try (Containerd containerd = Containerd.start(dir.resolve("containerd"))) {
                containerd.pull(List.of("--platform", "linux/amd64"), byDigest);
                assertThat(containerd.imageDigest(byDigest)).isEqualTo(listDigest);
                assertThat(containerd.check(byDigest)).as("ctr images check").contains("complete").endsWith("true");
                // Only the pulled platform is local, so only it can be pushed: ctr push --platform pushes that
                // platform's manifest alone, under the tag.
                containerd.push(List.of("--platform", "linux/amd64"), copy, byDigest);
            }

            String child = amd64.path("digest").asText();
            HttpResponse<byte[]> original = http.getManifest("e2e/docker-list", child);
            RegistryHttp.expect(original, 200, "GET amd64 manifest by digest");
            HttpResponse<byte[]> manifest = http.getManifest("e2e/docker-list-copy", "v1");
            RegistryHttp.expect(manifest, 200, "GET pushed amd64 manifest");
            assertThat(manifest.body()).as("amd64 manifest bytes").isEqualTo(original.body());
            assertThat(manifest.headers().firstValue("Content-Type")).hasValue(DOCKER_MANIFEST);
            assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(child);
            JsonNode layers = JSON.readTree(manifest.body()).path("layers");
            for (JsonNode layer : layers) {
                String digest = layer.path("digest").asText();
                assertThat(http.hashBlob("e2e/docker-list-copy", digest))
                        .isEqualTo(new Digests.Hashed(digest, layer.path("size").asLong()));
            }
            String arm64 = JSON.readTree(list.body()).path("manifests").get(1).path("digest").asText();
            RegistryHttp.expect(http.getManifest("e2e/docker-list-copy", arm64), 404, "GET arm64 manifest never pushed");
        }
    }

    @Test
    void interruptedLayerDownloadResumesWithARangeRequestAndCompletes() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 909, 1, "amd64");
        OciLayout.Descriptor layer = image.layers().getFirst();
        Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
        try (BerthProcess registry = BerthProcess.start("containerd-resume", dir.resolve("storage"));
             Containerd containerd = Containerd.start(dir.resolve("containerd"))) {
            String source = registry.hostPort() + "/e2e/resume:v1";
            skopeo.copy(List.of(), layout.reference("v1"), "docker://" + source);

            long offset = layer.size() / 3;
            Path prefix = dir.resolve("prefix");
            byte[] bytes = layout.blob(layer.digest());
            Files.write(prefix, Arrays.copyOf(bytes, (int) offset));
            // containerd names a layer's download "layer-<digest>" (remotes.MakeRefKey) and resumes an active one.
            containerd.leavePartialDownload("layer-" + layer.digest(), layer.digest(), layer.size(), prefix);

            Tools.Result pull = containerd.pull(List.of(), source);
            // ctr --debug logs each request's headers and each response's status.
            assertThat(pull.stderr()).as("ctr asked for the rest of the layer only\n%s", pull.describe())
                    .contains("request.header.range=\"bytes=" + offset + "-\"")
                    .contains("response.header.content-range=\"bytes " + offset + "-" + (layer.size() - 1) + "/"
                            + layer.size() + "\"")
                    .contains("response.status=\"206 Partial Content\"");
            assertHasContent(containerd, image);
            assertThat(containerd.check(source)).as("ctr images check").contains("complete").endsWith("true");
            assertUnpacked(containerd, image);
        }
    }

    private static void assertHasContent(Containerd containerd, OciLayout.Image image) throws IOException {
        List<OciLayout.Descriptor> all = new ArrayList<>(image.blobs());
        all.add(image.manifest());
        for (OciLayout.Descriptor blob : all) {
            assertThat(containerd.content(blob.digest())).as("content %s", blob.digest())
                    .isEqualTo(new Digests.Hashed(blob.digest(), blob.size()));
        }
    }

    /** Some native snapshot holds every layer's directory: containerd unpacked the whole image. */
    private static void assertUnpacked(Containerd containerd, OciLayout.Image image) throws IOException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
            expected.add("layer" + i + "/file0.bin");
        }
        List<List<String>> found = new ArrayList<>();
        try (Stream<Path> snapshots = Files.list(containerd.nativeSnapshots())) {
            for (Path snapshot : snapshots.toList()) {
                found.add(expected.stream().filter(file -> Files.isRegularFile(snapshot.resolve(file))).toList());
            }
        }
        assertThat(found).as("unpacked files per snapshot in %s", containerd.nativeSnapshots()).contains(expected);
    }

    private static void assertServedUnchanged(RegistryHttp http, String name, OciLayout layout, OciLayout.Image image)
            throws IOException {
        assertServedUnchanged(http, name, "v1", layout, image);
    }

    /** The registry serves the manifest with the original bytes and digest, and every blob it names. */
    private static void assertServedUnchanged(RegistryHttp http, String name, String reference, OciLayout layout,
                                              OciLayout.Image image) throws IOException {
        HttpResponse<byte[]> served = http.getManifest(name, reference);
        RegistryHttp.expect(served, 200, "GET manifest " + name + ":" + reference);
        assertThat(served.body()).as("manifest bytes of %s", name).isEqualTo(layout.blob(image.manifest().digest()));
        assertThat(served.headers().firstValue("Content-Type")).hasValue(OciLayout.OCI_MANIFEST);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(image.manifest().digest());
        JsonNode manifest = JSON.readTree(served.body());
        assertThat(manifest.path("config").path("digest").asText()).isEqualTo(image.config().digest());
        for (OciLayout.Descriptor blob : image.blobs()) {
            assertThat(http.hashBlob(name, blob.digest())).as("blob %s in %s", blob.digest(), name)
                    .isEqualTo(new Digests.Hashed(blob.digest(), blob.size()));
        }
    }
}
