package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.packaging.BuildImageCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-hosting: Berth's container image, built by {@code scripts/build-image}'s command with Jib, is pushed to a
 * running Berth, pulled from it with skopeo, unpacked with umoci, and run from its root filesystem as its
 * configuration says; the Berth inside answers on /v2/ and stores into the image's data directory.
 */
@ExtendWith(FailureLogs.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BerthImageIT {
    /** The runtime and Jib's layers are cached next to the jar; a first build needs room for both. */
    private static final long CACHE_SPACE = 300L << 20;
    /** The pulled layout (about 45 MB), the unpacked root filesystem (about 95 MB), Berth's copy of the image. */
    private static final long WORK_SPACE = 400L << 20;
    private static final Pattern PUSHED = Pattern.compile("^pushed (\\S+)@(sha256:[0-9a-f]{64}) ", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void imageOfBerthPushedToBerthRunsFromItsUnpackedRootfsAndServes() throws Exception {
        Tools.require("skopeo", "skopeo");
        Tools.require("umoci", "umoci");
        Path jar = Path.of(System.getProperty("berth.jar", "target/berth.jar")).toAbsolutePath();
        Path cache = jar.getParent().resolve("image-build");
        requireSpace(jar.getParent(), CACHE_SPACE, "the image build's cache (" + cache + ")");
        requireSpace(dir, WORK_SPACE, "the pulled image and its unpacked root filesystem");

        try (BerthProcess registry = BerthProcess.start("image-host", dir.resolve("storage"))) {
            String reference = registry.hostPort() + "/berth:test";
            String digest = buildAndPush(jar, cache, reference);
            // The same jar and runtime give the same layers and image: a rebuild uploads nothing.
            assertThat(buildAndPush(jar, cache, registry.hostPort() + "/berth:again")).isEqualTo(digest);

            Skopeo skopeo = Skopeo.in(dir.resolve("skopeo"));
            Path layout = dir.resolve("layout");
            skopeo.copy(List.of(), "docker://" + reference, "oci:" + layout + ":test");
            Path rootfs = dir.resolve("rootfs");
            try {
                UnpackedImage image = UnpackedImage.unpack(layout, "test", rootfs);
                assertThat(Digests.of(Files.readAllBytes(image.manifest()))).as("manifest pulled").isEqualTo(digest);
                checkConfiguration(image);
                checkLayers(layout, image);
                checkVersion(image);
                serveFromRootfs(image);
            } finally {
                // About 95 MB; the temporary directory would go at the end anyway, but not before the next test.
                Tools.run(Duration.ofMinutes(1), Map.of(), List.of("rm", "-rf", "--one-file-system", rootfs.toString()))
                        .check();
            }
        }
    }

    /** Runs the image build command in this JVM; returns the digest it reports pushing. */
    private static String buildAndPush(Path jar, Path cache, String reference) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BuildImageCommand.run(new String[] {"--to", reference, "--insecure", "--jar", jar.toString(),
                "--cache", cache.toString()}, InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("build-image exit code; output:\n%s\n%s", out, err).isZero();
        Matcher pushed = PUSHED.matcher(out.toString());
        assertThat(pushed.find()).as("a 'pushed' line in:\n%s", out).isTrue();
        assertThat(pushed.group(1)).isEqualTo(reference);
        return pushed.group(2);
    }

    private static void checkConfiguration(UnpackedImage image) {
        assertThat(image.config().path("config").path("ExposedPorts").has("5000/tcp")).as("exposes 5000/tcp").isTrue();
        assertThat(image.config().path("config").path("Volumes").has("/var/lib/berth")).as("volume").isTrue();
        assertThat(image.user()).as("a numeric user other than root").matches("[0-9]+:[0-9]+").doesNotStartWith("0:");
        assertThat(image.entrypoint()).contains("java.base/sun.security.provider=ALL-UNNAMED");
        assertThat(image.has(image.entrypoint().getFirst())).as("entrypoint program in the rootfs").isTrue();
        assertThat(image.label("org.opencontainers.image.version")).isNotBlank();
    }

    /** The runtime at the bottom, the jar alone on top: a new version pushes one layer. */
    private static void checkLayers(Path layout, UnpackedImage image) throws IOException {
        List<String> layers = image.layerDigests();
        assertThat(layers).hasSize(2);
        List<String> runtimeFiles = tarFiles(UnpackedImage.blob(layout, layers.get(0)));
        List<String> jarFiles = tarFiles(UnpackedImage.blob(layout, layers.get(1)));
        assertThat(jarFiles).containsExactly("opt/berth/berth.jar");
        assertThat(runtimeFiles).contains("opt/berth/java/bin/java", "opt/berth/java/lib/modules", "etc/passwd")
                .doesNotContain("opt/berth/berth.jar")
                .anyMatch(file -> file.matches("lib(64)?/.*ld-linux.*\\.so.*"))
                .anyMatch(file -> file.matches("(usr/)?lib/.*libc\\.so\\.6"));
    }

    /** {@code berth --version} from the image names the version its label gives. */
    private static void checkVersion(UnpackedImage image) throws IOException {
        List<String> argv = new ArrayList<>(image.entrypoint());
        argv.add("--version");
        Tools.Result version = RootfsProcess.run(image, argv, Duration.ofMinutes(1)).check();
        assertThat(version.stdout().lines().findFirst().orElse(""))
                .isEqualTo("berth " + image.label("org.opencontainers.image.version"));
    }

    /**
     * The image's default command, with its listen address moved to a free loopback port (5000 may be taken here),
     * serves /v2/ and keeps a pushed blob in the image's data directory, owned by the image's user.
     */
    private void serveFromRootfs(UnpackedImage image) throws Exception {
        int port = freePort();
        List<String> argv = new ArrayList<>(image.defaultCommand());
        int listen = argv.indexOf("--listen");
        assertThat(listen).as("the default command names its listen address: %s", argv).isPositive();
        assertThat(argv.get(listen + 1)).isEqualTo("0.0.0.0:5000");
        argv.set(listen + 1, "127.0.0.1:" + port);
        Path log = E2eLogs.dir().resolve("image-rootfs-berth.log");
        try (RootfsProcess berth = RootfsProcess.start(image, argv, log)) {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitBaseEndpoint(berth, base, log);

            byte[] blob = "berth served from its own image\n".getBytes(StandardCharsets.UTF_8);
            String digest = Digests.of(blob);
            RegistryHttp http = new RegistryHttp(base);
            URI upload = http.startUpload("self/hosted");
            RegistryHttp.expect(http.putWholeBlob(upload, digest, blob.length, () -> new ByteArrayInputStream(blob)),
                    201, "PUT blob into the Berth running from the image");
            Path data = image.rootfs().resolve("var/lib/berth");
            List<Path> stored;
            try (Stream<Path> files = Files.walk(data)) {
                stored = files.filter(file -> file.toString().contains(Digests.hex(digest))).toList();
            }
            assertThat(stored).as("the blob under the image's /var/lib/berth; log:\n%s", Files.readString(log))
                    .isNotEmpty();
            Path file = stored.getFirst();
            assertThat(Files.getAttribute(file, "unix:uid") + ":" + Files.getAttribute(file, "unix:gid"))
                    .as("owner of %s", file).isEqualTo(image.user());
            assertThat(berth.stop()).as("Berth stopped on SIGTERM; log:\n%s", Files.readString(log)).isTrue();
        }
    }

    private static void awaitBaseEndpoint(RootfsProcess berth, URI base, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v2/")).timeout(Duration.ofSeconds(2)).GET().build();
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!berth.isAlive()) {
                throw new AssertionError("Berth from the image exited; command: " + String.join(" ", berth.command())
                        + "\nlog:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "GET /v2/ answered " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no 200 from " + base + "/v2/ within 60 s (" + last + "); log:\n" + Files.readString(log));
    }

    /** The regular files of a gzipped tar, as {@code tar} lists them (leading "./" and "/" removed). */
    private static List<String> tarFiles(Path layer) throws IOException {
        Tools.Result listing = Tools.run(Duration.ofMinutes(1), Map.of(),
                List.of("tar", "--list", "--verbose", "--gzip", "--file", layer.toString())).check();
        List<String> files = new ArrayList<>();
        for (String line : listing.stdout().lines().toList()) {
            if (line.startsWith("-")) {
                String name = line.substring(line.lastIndexOf(' ') + 1);
                files.add(name.replaceFirst("^\\./", "").replaceFirst("^/", ""));
            }
        }
        return files;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void requireSpace(Path where, long bytes, String what) throws IOException {
        Files.createDirectories(where);
        FileStore store = Files.getFileStore(where);
        long free = store.getUsableSpace();
        if (free < bytes) {
            throw new AssertionError(what + " needs " + (bytes >> 20) + " MiB free in " + where + ", but only "
                    + (free >> 20) + " MiB are; free some space (or point java.io.tmpdir elsewhere)");
        }
    }
}
