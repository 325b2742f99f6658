package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Drives buildah as root with the vfs storage driver and its own private storage, run root and configuration. */
public final class Buildah implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ContainersSandbox box;

    private Buildah(ContainersSandbox box) {
        this.box = box;
    }

    /** A buildah whose image and container storage is {@code dir}, empty at first. */
    public static Buildah in(Path dir) throws IOException {
        Tools.require("buildah", "buildah");
        return new Buildah(ContainersSandbox.create(dir, "berth-br"));
    }

    /** {@code buildah from IMAGE} (e.g. {@code scratch}); returns the working container's name. */
    public String from(String image) throws IOException {
        return lastLine(run(List.of("from", "--pull-never", image)).check());
    }

    /** {@code buildah commit CONTAINER IMAGE}; returns the new image's id. */
    public String commit(String container, String image) throws IOException {
        return lastLine(run(List.of("commit", container, image)).check());
    }

    /** {@code buildah push} to a plain-HTTP registry; returns the pushed manifest's digest. */
    public String push(List<String> options, String localImage, String destination) throws IOException {
        Path digestFile = box.dir().resolve("tmp").resolve("digest-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("push", "--tls-verify=false", "--signature-policy",
                box.policy().toString(), "--digestfile", digestFile.toString()));
        args.addAll(options);
        args.add(localImage);
        args.add(destination);
        run(args).check();
        return Files.readString(digestFile).trim();
    }

    /** {@code buildah manifest push --all}: a local manifest list and every image it names; returns its digest. */
    public String pushList(String localList, String destination) throws IOException {
        Path digestFile = box.dir().resolve("tmp").resolve("digest-" + System.nanoTime());
        run(List.of("manifest", "push", "--all", "--tls-verify=false", "--signature-policy",
                box.policy().toString(),
                "--digestfile", digestFile.toString(), localList, destination)).check();
        return Files.readString(digestFile).trim();
    }

    /** {@code buildah pull} from a plain-HTTP registry; returns the image id. */
    public String pull(String image) throws IOException {
        return pull(List.of(), image);
    }

    /** {@code buildah pull [options]} (e.g. {@code --arch arm64}) from a plain-HTTP registry; returns the image id. */
    public String pull(List<String> options, String image) throws IOException {
        List<String> args = new ArrayList<>(List.of("pull", "--tls-verify=false", "--signature-policy",
                box.policy().toString()));
        args.addAll(options);
        args.add(image);
        return lastLine(run(args).check());
    }

    /** {@code buildah mount CONTAINER}: the directory holding the container's files (vfs: a plain directory). */
    public Path mount(String container) throws IOException {
        return Path.of(lastLine(run(List.of("mount", container)).check()));
    }

    /** Removes the short-path run root (the storage goes with the caller's temp dir). */
    @Override
    public void close() throws IOException {
        box.deleteRunRoot();
    }

    /** Runs any buildah subcommand with this instance's storage options. */
    public Tools.Result run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("buildah",
                "--root", box.dir().resolve("root").toString(),
                "--runroot", box.runRoot().toString(),
                "--storage-driver", "vfs"));
        command.addAll(args);
        return Tools.run(TIMEOUT, box.env(), command);
    }

    private static String lastLine(Tools.Result result) {
        List<String> lines = result.stdout().lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new AssertionError("buildah printed nothing on stdout\n" + result.describe());
        }
        return lines.getLast().trim();
    }
}
