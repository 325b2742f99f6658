package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two registry processes on one storage directory act as one registry: an upload may hop between them and survive a restart. */
@ExtendWith(FailureLogs.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UploadAcrossProcessesIT {
    private static final long MiB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void chunksAlternatingBetweenTwoProcessesAndAcrossARestartPublishTheBlobOnBoth() throws Exception {
        Path storage = dir.resolve("storage");
        // Uneven sizes, so no chunk boundary falls on a round number by luck.
        ChunkedBlob blob = new ChunkedBlob(909, List.of(5 * MiB, 3 * MiB + 7, MiB, 4 * MiB + 1, 2 * MiB, 777L));
        Digests.Hashed expected = blob.digest();
        try (BerthProcess a = BerthProcess.start("upload-a", storage);
             BerthProcess b = BerthProcess.start("upload-b", storage)) {
            RegistryHttp onA = new RegistryHttp(a);
            RegistryHttp onB = new RegistryHttp(b);

            URI upload = onA.startUpload("e2e/shared");
            upload = blob.patch(onA, RegistryHttp.onRegistry(upload, a), 0);
            upload = blob.patch(onB, RegistryHttp.onRegistry(upload, b), 1);
            upload = blob.patch(onA, RegistryHttp.onRegistry(upload, a), 2);
            upload = blob.patch(onB, RegistryHttp.onRegistry(upload, b), 3);

            b.restart();
            upload = blob.patch(onA, RegistryHttp.onRegistry(upload, a), 4);
            upload = blob.patch(onB, RegistryHttp.onRegistry(upload, b), 5);

            for (BerthProcess registry : List.of(a, b)) {
                HttpResponse<String> status = new RegistryHttp(registry).uploadStatus(RegistryHttp.onRegistry(upload, registry));
                RegistryHttp.expect(status, 204, "GET upload status on " + registry);
                assertThat(status.headers().firstValue("Range")).as(RegistryHttp.describe(status))
                        .hasValue("0-" + (expected.size() - 1));
            }

            // Completed on the process that was not restarted and did not take the last chunk.
            HttpResponse<String> done = onA.completeUpload(RegistryHttp.onRegistry(upload, a), expected.digest());
            RegistryHttp.expect(done, 201, "PUT ?digest= on " + a);
            assertThat(done.headers().firstValue("Docker-Content-Digest")).hasValue(expected.digest());

            for (RegistryHttp http : List.of(onA, onB)) {
                assertThat(http.hashBlob("e2e/shared", expected.digest())).isEqualTo(expected);
            }
        }
    }
}
