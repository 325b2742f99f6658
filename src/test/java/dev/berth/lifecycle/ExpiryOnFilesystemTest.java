package dev.berth.lifecycle;

import dev.berth.storage.FilesystemStore;
import dev.berth.storage.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class ExpiryOnFilesystemTest extends ExpiryContract {
    @TempDir
    Path root;

    @Override
    ObjectStore backend() {
        return new FilesystemStore(root);
    }
}
