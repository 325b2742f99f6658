package dev.berth.packaging;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Java runtime made by jlink from a JDK, holding only the given modules; kept in a cache directory whose name is a
 * digest of the JDK, the modules and the options, so that it is made once and a changed input makes a new one.
 */
record JlinkRuntime(Path home, Jdk jdk, RuntimeModules modules) {
    /** Debug symbols, C headers and manual pages are of no use in a server image. */
    static final List<String> OPTIONS = List.of("--strip-debug", "--no-header-files", "--no-man-pages");

    /** The runtime for {@code modules} under {@code cacheDir}, made with {@code jdk}'s jlink if not there yet. */
    static JlinkRuntime in(Path cacheDir, Jdk jdk, RuntimeModules modules, Consumer<String> log) throws IOException {
        String key = Jdk.sha256(jdk.key() + "\n" + String.join(",", modules.names()) + "\n" + String.join(" ", OPTIONS))
                .substring(0, 16);
        Path runtimes = Files.createDirectories(cacheDir.resolve("runtimes"));
        Path home = runtimes.resolve("java-" + jdk.version() + "-" + key);
        if (Files.isExecutable(home.resolve("bin/java"))) {
            log.accept("runtime: " + home + " (made earlier from the same JDK and modules)");
            return new JlinkRuntime(home, jdk, modules);
        }
        long started = System.nanoTime();
        // jlink into a private directory, then rename: a run interrupted half-way, or one running at the same time,
        // never leaves a half-made runtime under the final name.
        Path partial = runtimes.resolve(home.getFileName() + ".partial-" + ProcessHandle.current().pid());
        deleteTree(partial);
        List<String> command = new ArrayList<>(List.of(jdk.tool("jlink"), "--add-modules",
                String.join(",", modules.names())));
        command.addAll(OPTIONS);
        command.addAll(List.of("--output", partial.toString()));
        new ExternalCommand(command, java.util.Map.of()).run();
        try {
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                throw e;
            }
            deleteTree(partial);
        }
        log.accept("runtime: made " + home + " with jlink in " + (System.nanoTime() - started) / 1_000_000 + " ms ("
                + String.join(",", modules.names()) + ")");
        removeOthers(runtimes, home);
        return new JlinkRuntime(home, jdk, modules);
    }

    /** Earlier runtimes (another JDK or module list) would only fill the disk: about 70 MiB each. */
    private static void removeOthers(Path runtimes, Path keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(runtimes)) {
            for (Path entry : entries) {
                if (!entry.equals(keep) && !entry.getFileName().toString().contains(".partial-")) {
                    deleteTree(entry);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
