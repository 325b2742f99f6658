package dev.berth.config;

import java.nio.file.Path;

/**
 * The whole configuration of one Berth process: one immutable tree, built by {@link ConfigLoader} from
 * flags, environment, file and defaults, in that order of precedence.
 *
 * @param listen {@code HOST:PORT} to bind
 * @param publicUrl base URL for {@code Location} headers; empty means taken from each request
 * @param storage where the objects live
 * @param limits request size limits
 * @param validation manifest validation policies
 * @param delete whether DELETE is allowed
 */
public record BerthConfig(
        String listen,
        String publicUrl,
        Storage storage,
        Limits limits,
        Validation validation,
        Delete delete) {

    /** The storage backend and its settings. */
    public record Storage(StorageDriver driver, Filesystem filesystem) {
        /** This section with another driver. */
        public Storage withDriver(StorageDriver newDriver) {
            return new Storage(newDriver, filesystem);
        }

        /** This section with other filesystem settings. */
        public Storage withFilesystem(Filesystem newFilesystem) {
            return new Storage(driver, newFilesystem);
        }
    }

    /**
     * The filesystem backend's settings.
     *
     * @param root directory holding the objects; a relative path is relative to the working directory
     */
    public record Filesystem(Path root) {}

    /** Backends Berth can store objects in. */
    public enum StorageDriver { FILESYSTEM, MEMORY }

    /** Size limits. */
    public record Limits(long manifestSize) {}

    /** Validation policies. */
    public record Validation(SparseIndexPolicy sparseIndex) {}

    /** Whether an index may name child manifests that are absent from the repository. */
    public enum SparseIndexPolicy { REJECT, ALLOW }

    /** Whether DELETE requests are served. */
    public record Delete(boolean enabled) {}

    /** The defaults: filesystem storage in {@code ./data}, served on {@code localhost:5000}. */
    public static BerthConfig defaults() {
        return new BerthConfig("localhost:5000", "",
                new Storage(StorageDriver.FILESYSTEM, new Filesystem(Path.of("./data"))),
                new Limits(4L * 1024 * 1024),
                new Validation(SparseIndexPolicy.REJECT),
                new Delete(true));
    }

    /** This configuration with another listen address. */
    public BerthConfig withListen(String address) {
        return new BerthConfig(address, publicUrl, storage, limits, validation, delete);
    }

    /** This configuration with another public URL ({@code ""}: taken from each request). */
    public BerthConfig withPublicUrl(String url) {
        return new BerthConfig(listen, url, storage, limits, validation, delete);
    }

    /** This configuration with another storage section. */
    public BerthConfig withStorage(Storage newStorage) {
        return new BerthConfig(listen, publicUrl, newStorage, limits, validation, delete);
    }

    /** This configuration with another validation section. */
    public BerthConfig withValidation(Validation newValidation) {
        return new BerthConfig(listen, publicUrl, storage, limits, newValidation, delete);
    }

    /** This configuration with another delete section. */
    public BerthConfig withDelete(Delete newDelete) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, newDelete);
    }

    /** This configuration with other limits. */
    public BerthConfig withLimits(Limits newLimits) {
        return new BerthConfig(listen, publicUrl, storage, newLimits, validation, delete);
    }
}
