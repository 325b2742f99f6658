package dev.berth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives skopeo with a private policy and a fresh blob-info cache for every copy: against a plain-HTTP registry
 * (TLS verification off), or {@link #verifyingTls verifying} a TLS registry's certificate.
 */
public final class Skopeo {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    // skopeo as root remembers which blobs a registry already has here; a stale entry from an earlier
    // run (ports get reused) would make it skip uploads or try mounts, so every copy starts without it.
    private static final List<Path> BLOB_INFO_CACHES = List.of(
            Path.of("/var/lib/containers/cache/blob-info-cache-v1.boltdb"),
            Path.of(System.getProperty("user.home"), ".local/share/containers/cache/blob-info-cache-v1.boltdb"));

    private final Path policy;
    private final Path registriesConf;
    private final boolean verifyTls;

    private Skopeo(Path policy, Path registriesConf, boolean verifyTls) {
        this.policy = policy;
        this.registriesConf = registriesConf;
        this.verifyTls = verifyTls;
    }

    /** A skopeo whose policy and registries configuration live in {@code dir}, independent of /etc/containers. */
    public static Skopeo in(Path dir) throws IOException {
        Tools.require("skopeo", "skopeo");
        Files.createDirectories(dir);
        Path policy = ContainersConfig.writePolicy(dir);
        Path registries = ContainersConfig.writeRegistries(dir);
        return new Skopeo(policy, registries, false);
    }

    /**
     * This skopeo with TLS verification left on, as for any registry with a certificate: the options of each call
     * say whom to trust ({@code --src-cert-dir}, {@code --dest-cert-dir}, {@code --cert-dir}).
     */
    public Skopeo verifyingTls() {
        return new Skopeo(policy, registriesConf, true);
    }

    /** {@code skopeo copy [options] SOURCE DESTINATION}, without TLS verification unless {@link #verifyingTls}. */
    public Tools.Result copy(List<String> options, String source, String destination) throws IOException {
        return tryCopy(options, source, destination).check();
    }

    /** As {@link #copy}, returning a failed copy's result rather than throwing: for copies meant to fail. */
    public Tools.Result tryCopy(List<String> options, String source, String destination) throws IOException {
        forgetBlobInfo();
        List<String> args = new ArrayList<>(List.of("copy"));
        if (!verifyTls) {
            args.addAll(List.of("--src-tls-verify=false", "--dest-tls-verify=false"));
        }
        args.addAll(options);
        args.add(source);
        args.add(destination);
        return run(args);
    }

    /** {@code skopeo inspect --raw}: the manifest bytes exactly as the registry served them. */
    public Tools.Result inspectRaw(String image) throws IOException {
        return run(List.of("inspect", "--raw", "--tls-verify=false", image));
    }

    /** {@code skopeo list-tags} of a repository ({@code docker://HOST/NAME}). */
    public Tools.Result listTags(String repository) throws IOException {
        return run(List.of("list-tags", "--tls-verify=false", repository));
    }

    /** {@code skopeo delete}: deletes the manifest a reference points at. */
    public Tools.Result delete(String image) throws IOException {
        return run(List.of("delete", "--tls-verify=false", image));
    }

    private Tools.Result run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("skopeo", "--debug", "--policy", policy.toString(),
                "--registries-conf", registriesConf.toString()));
        command.addAll(args);
        return Tools.run(TIMEOUT, Map.of(), command);
    }

    private static void forgetBlobInfo() throws IOException {
        for (Path cache : BLOB_INFO_CACHES) {
            Files.deleteIfExists(cache);
        }
    }
}
