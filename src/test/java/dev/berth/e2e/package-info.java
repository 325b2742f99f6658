/**
 * End-to-end tests: real clients (skopeo, podman, buildah, containerd's {@code ctr}, Jib, raw HTTP) against Berth
 * running as a separate OS process. Podman, buildah and containerd run as root with private storage (vfs, native
 * snapshotter) and short-path run roots and sockets under /tmp.
 *
 * <p>{@code ./run-tests} runs them with the rest of the suite (failsafe, {@code *IT.java}, after the shade plugin has
 * built {@code target/berth.jar}). One class alone: {@code ./run-tests -Dit.test=SkopeoIT}. To check the tests
 * themselves against CNCF Distribution 2.8 ({@code docker-registry}) instead of Berth:
 * {@code ./run-tests -Dberth.e2e.target=distribution} (Distribution ignores {@code Content-Range} on PATCH, so the
 * gap test fails there by design). {@code -Dberth.test.long=true} makes the filesystem large-blob test 5 GiB instead
 * of 1 GiB, and {@link dev.berth.e2e.LargeBlobOnObjectStoresIT} (Swift and S3) 6 GiB instead of 384 MiB; see
 * {@code docs/storage.md}, "Large blobs", for the figures and for picking stores.
 *
 * <p>Scale-out: {@link dev.berth.e2e.ReplicasBehindBalancerTests} runs three replicas on one shared store behind
 * nginx round-robin ({@link dev.berth.e2e.LoadBalancer}); each backend gets a subclass naming its
 * {@link dev.berth.e2e.SharedStore} (the S3 and Swift ones use the servers of {@code scripts/storage-servers}).
 *
 * <p>Registry logs, generated configuration and every client's stdout/stderr land in
 * {@code target/e2e-logs/<time>-<pid>/} (containerd's daemon log and config as {@code containerd-daemon-N.*}, and
 * {@code ctr --debug} output shows every registry request and response); a failing test prints the logs of the
 * registries it started.
 */
package dev.berth.e2e;
