package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Drives podman as root with the vfs storage driver and its own private storage, run root and configuration. */
public final class Podman implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ContainersSandbox box;

    private Podman(ContainersSandbox box) {
        this.box = box;
    }

    /** A podman whose image storage (and blob-info cache, which lives inside it) is {@code dir}, empty at first. */
    public static Podman in(Path dir) throws IOException {
        Tools.require("podman", "podman");
        return new Podman(ContainersSandbox.create(dir, "berth-pr"));
    }

    /** {@code podman pull} from a plain-HTTP registry; returns the image id it prints. */
    public String pull(String image) throws IOException {
        return pull(image, List.of());
    }

    /** {@code podman pull} with more options (such as {@code --authfile}); returns the image id it prints. */
    public String pull(String image, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("pull", "--tls-verify=false", "--signature-policy",
                box.policy().toString()));
        args.addAll(options);
        args.add(image);
        Tools.Result result = run(args).check();
        List<String> lines = result.stdout().lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new AssertionError("podman pull printed no image id\n" + result.describe());
        }
        return lines.getLast().trim();
    }

    /** {@code podman push} of a local image to a plain-HTTP registry. */
    public Tools.Result push(String localImage, String destination) throws IOException {
        return tryPush(localImage, destination, List.of()).check();
    }

    /** {@code podman push} with more options (such as {@code --authfile}), returning a failed push's result too. */
    public Tools.Result tryPush(String localImage, String destination, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("push", "--tls-verify=false", "--signature-policy",
                box.policy().toString()));
        args.addAll(options);
        args.add(localImage);
        args.add(destination);
        return run(args);
    }

    /** {@code podman login} to a TLS registry, trusting the CA certificates ({@code *.crt}) in {@code certDir}. */
    public Tools.Result tryLogin(String registry, String user, String password, Path certDir) throws IOException {
        return run(List.of("login", "--cert-dir", certDir.toString(), "--username", user, "--password", password,
                registry));
    }

    /**
     * {@code podman pull} from a TLS registry, with the CA certificates and client certificate pairs
     * ({@code *.crt}, {@code *.cert} and {@code *.key}) of {@code certDir}; returns the image id it prints.
     */
    public String pull(String image, Path certDir) throws IOException {
        Tools.Result result = run(List.of("pull", "--cert-dir", certDir.toString(), "--signature-policy",
                box.policy().toString(), image)).check();
        return result.stdout().lines().filter(line -> !line.isBlank()).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("podman pull printed no image id\n" + result.describe()))
                .trim();
    }

    /** {@code podman push} of a local image to a TLS registry, with the certificates of {@code certDir}. */
    public Tools.Result tryPush(String localImage, String destination, Path certDir) throws IOException {
        return run(List.of("push", "--cert-dir", certDir.toString(), "--signature-policy", box.policy().toString(),
                localImage, destination));
    }

    /** {@code podman image inspect --format FORMAT}. */
    public String inspect(String image, String format) throws IOException {
        return run(List.of("image", "inspect", "--format", format, image)).check().stdout().trim();
    }

    /** Removes the short-path run root (the storage goes with the caller's temp dir). */
    @Override
    public void close() throws IOException {
        box.deleteRunRoot();
    }

    /** Runs any podman subcommand with this instance's storage options. */
    public Tools.Result run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("podman",
                "--root", box.dir().resolve("root").toString(),
                "--runroot", box.runRoot().toString(),
                "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "file",
                "--tmpdir", box.dir().resolve("libpod-tmp").toString()));
        command.addAll(args);
        return Tools.run(TIMEOUT, box.env(), command);
    }
}
