package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Identical pushes racing each other through two processes on one storage directory all succeed, and leave one intact image. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedStorageConcurrencyIT {
    private static final int PUSHES = 6;

    @TempDir
    Path dir;

    @Test
    void identicalSkopeoPushesRacingThroughTwoProcessesAllSucceedAndServeTheSameBytes() throws Exception {
        OciLayout layout = OciLayout.create(dir.resolve("src"));
        OciLayout.Image image = layout.addImage("v1", 1001, 4, "amd64");
        Path storage = dir.resolve("storage");
        try (BerthProcess a = BerthProcess.start("race-a", storage);
             BerthProcess b = BerthProcess.start("race-b", storage);
             ExecutorService pool = Executors.newFixedThreadPool(PUSHES)) {
            List<Future<Tools.Result>> pushes = new ArrayList<>();
            for (int i = 0; i < PUSHES; i++) {
                BerthProcess target = i % 2 == 0 ? a : b;
                // Separate skopeo configuration directories, so the copies share nothing but the registry.
                Skopeo skopeo = Skopeo.in(dir.resolve("skopeo-" + i));
                pushes.add(pool.submit(() -> skopeo.copy(List.of(), layout.reference("v1"),
                        "docker://" + target.hostPort() + "/e2e/race:v1")));
            }
            for (Future<Tools.Result> push : pushes) {
                push.get(4, TimeUnit.MINUTES);
            }

            for (BerthProcess registry : List.of(a, b)) {
                RegistryHttp http = new RegistryHttp(registry);
                HttpResponse<byte[]> manifest = http.getManifest("e2e/race", "v1");
                RegistryHttp.expect(manifest, 200, "GET manifest from " + registry);
                assertThat(manifest.body()).isEqualTo(layout.blob(image.manifest().digest()));
                for (OciLayout.Descriptor blob : image.blobs()) {
                    assertThat(http.hashBlob("e2e/race", blob.digest()))
                            .isEqualTo(new Digests.Hashed(blob.digest(), blob.size()));
                }
            }
        }
    }
}
