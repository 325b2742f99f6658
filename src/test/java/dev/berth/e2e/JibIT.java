package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Jib (jib-core) builds an image from scratch in Java and pushes it; the registry serves exactly what Jib sent. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JibIT {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void imagePushedByJibIsServedWithMatchingManifestAndBlobDigests() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path run = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho berth e2e\n");
        Path data = Files.write(app.resolve("data.bin"), SeededBytes.array(707, 3 << 20));
        Path notes = Files.writeString(dir.resolve("notes.txt"), "a second layer\n");

        try (BerthProcess registry = BerthProcess.start("jib", dir.resolve("storage"))) {
            List<String> jibLog = new ArrayList<>();
            JibContainer container = Jib.fromScratch()
                    .addLayer(List.of(run, data), AbsoluteUnixPath.get("/app"))
                    .addLayer(List.of(notes), AbsoluteUnixPath.get("/doc"))
                    .setEntrypoint("/app/run.sh")
                    .containerize(Containerizer.to(RegistryImage.named(registry.hostPort() + "/x/y:tag"))
                            .setAllowInsecureRegistries(true)
                            .setBaseImageLayersCache(dir.resolve("jib-cache/base"))
                            .setApplicationLayersCache(dir.resolve("jib-cache/app"))
                            .setToolName("berth-e2e")
                            .addEventHandler(LogEvent.class, event -> jibLog.add(event.getLevel() + " " + event.getMessage())));

            RegistryHttp http = new RegistryHttp(registry);
            HttpResponse<byte[]> served = http.getManifest("x/y", "tag");
            RegistryHttp.expect(served, 200, "GET manifest pushed by Jib (Jib log: " + jibLog + ")");
            String digest = container.getDigest().toString();
            assertThat(Digests.of(served.body())).as("digest of the served manifest bytes").isEqualTo(digest);
            assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
            assertThat(served.headers().firstValue("Content-Type")).hasValue(DOCKER_MANIFEST);
            RegistryHttp.expect(http.getManifest("x/y", digest), 200, "GET manifest by digest");

            JsonNode manifest = JSON.readTree(served.body());
            JsonNode config = manifest.path("config");
            assertThat(config.path("digest").asText()).isEqualTo(container.getImageId().toString());
            List<JsonNode> blobs = new ArrayList<>();
            blobs.add(config);
            manifest.path("layers").forEach(blobs::add);
            assertThat(blobs).hasSize(3);
            for (JsonNode blob : blobs) {
                String blobDigest = blob.path("digest").asText();
                assertThat(http.hashBlob("x/y", blobDigest))
                        .isEqualTo(new Digests.Hashed(blobDigest, blob.path("size").asLong()));
            }

            // The files come back out of the layers as Jib put them in.
            Map<String, byte[]> files = new HashMap<>();
            for (JsonNode layer : manifest.path("layers")) {
                byte[] gzip = http.getBlob("x/y", layer.path("digest").asText()).body();
                files.putAll(untar(new GZIPInputStream(new ByteArrayInputStream(gzip))));
            }
            assertThat(files.get("app/run.sh")).isEqualTo(Files.readAllBytes(run));
            assertThat(files.get("app/data.bin")).isEqualTo(Files.readAllBytes(data));
            assertThat(files.get("doc/notes.txt")).isEqualTo(Files.readAllBytes(notes));
        }
    }

    /** Regular files of a tar stream by name (leading "/" or "./" removed). */
    private static Map<String, byte[]> untar(InputStream in) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || header[0] == 0) {
                return files;
            }
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(field(header, 124, 12).trim(), 8);
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (header[156] == '0' || header[156] == 0) {
                files.put(name.replaceFirst("^\\.?/", ""), content);
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
}
