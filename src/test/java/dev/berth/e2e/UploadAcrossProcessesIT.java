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

    @Test
    void chunkLeavingAGapIsRefusedWith416AndTheUploadGoesOnFromItsLastOffsetOnTheOtherProcess() throws Exception {
        Path storage = dir.resolve("storage");
        ChunkedBlob blob = new ChunkedBlob(910, List.of(2 * MiB, MiB + 3, 512 * 1024L));
        Digests.Hashed expected = blob.digest();
        try (BerthProcess a = BerthProcess.start("gap-a", storage);
             BerthProcess b = BerthProcess.start("gap-b", storage)) {
            RegistryHttp onA = new RegistryHttp(a);
            RegistryHttp onB = new RegistryHttp(b);
            URI upload = onA.startUpload("e2e/gap");
            upload = blob.patch(onA, RegistryHttp.onRegistry(upload, a), 0);

            // Chunk 2 before chunk 1: its Content-Range does not start where the upload ends. The OCI spec
            // says MUST answer 416; Distribution 2.8.2 ignores Content-Range and appends (202), so this
            // test fails against it by design.
            HttpResponse<String> gap = onB.patchChunk(RegistryHttp.onRegistry(upload, b), blob.offset(2),
                    blob.chunkSizes().get(2), () -> blob.chunk(2));
            RegistryHttp.expect(gap, 416, "PATCH with a gap before it");

            HttpResponse<String> status = onB.uploadStatus(RegistryHttp.onRegistry(upload, b));
            RegistryHttp.expect(status, 204, "GET upload status after the refused chunk");
            assertThat(status.headers().firstValue("Range")).as(RegistryHttp.describe(status))
                    .hasValue("0-" + (blob.chunkSizes().get(0) - 1));

            upload = blob.patch(onB, RegistryHttp.onRegistry(upload, b), 1);
            upload = blob.patch(onA, RegistryHttp.onRegistry(upload, a), 2);
            HttpResponse<String> done = onB.completeUpload(RegistryHttp.onRegistry(upload, b), expected.digest());
            RegistryHttp.expect(done, 201, "PUT ?digest= on " + b);
            for (RegistryHttp http : List.of(onA, onB)) {
                assertThat(http.hashBlob("e2e/gap", expected.digest())).isEqualTo(expected);
            }
        }
    }
}
