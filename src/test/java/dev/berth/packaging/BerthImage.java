package dev.berth.packaging;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What Berth's container image holds and how it starts. Two layers: the runtime (the jlinked Java, the system
 * libraries it loads, a few files of /etc, /tmp and the data directory), then the jar alone, so that a new Berth
 * version on the same runtime pushes one layer of about 20 MB. Files have Jib's fixed timestamps, so the same inputs
 * give the same layers and the same image digest.
 */
final class BerthImage {
    /** The runtime's home; the entrypoint runs its bin/java. */
    static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/berth/java");
    static final AbsoluteUnixPath JAR = AbsoluteUnixPath.get("/opt/berth/berth.jar");
    /** The store, a volume; also the working directory, so that relative paths of a configuration land in it. */
    static final AbsoluteUnixPath DATA = AbsoluteUnixPath.get("/var/lib/berth");
    static final int PORT = 5000;
    /** A numeric user without a shell or privileges; it owns the data directory and nothing else. */
    static final int UID = 65532;

    /** The JVM as the launcher runs it, except that the heap follows the container's memory limit. */
    static final List<String> ENTRYPOINT = List.of(JAVA_HOME.resolve("bin/java").toString(),
            "-Xms16m", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC",
            // The resumable SHA-256 restores the JDK digest's internal state, which needs this package opened.
            "--add-opens", "java.base/sun.security.provider=ALL-UNNAMED",
            "-jar", JAR.toString());
    /** The default command: listen on every interface of the container, keep everything in the volume. */
    static final List<String> COMMAND = List.of("serve", "--listen", "0.0.0.0:" + PORT, "--storage", DATA.toString());

    private static final String ROOT = "0:0";
    private static final String USER = UID + ":" + UID;

    private final JlinkRuntime runtime;
    private final NativeLibraries libraries;
    private final BerthJar jar;
    private final Path filesDir;

    /** The image of {@code jar} on {@code runtime}; {@code filesDir} receives the few files it writes for /etc. */
    BerthImage(JlinkRuntime runtime, NativeLibraries libraries, BerthJar jar, Path filesDir) {
        this.runtime = runtime;
        this.libraries = libraries;
        this.jar = jar;
        this.filesDir = filesDir;
    }

    /** The Jib build: layers, entrypoint, command, user, port, volume, labels, OCI format, the JDK's platform. */
    JibContainerBuilder plan() throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", "Berth");
        labels.put("org.opencontainers.image.description", "An OCI Distribution registry on content-addressed storage");
        labels.put("org.opencontainers.image.version", jar.version());
        labels.put("dev.berth.java.version", runtime.jdk().version());
        return Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .setPlatforms(Set.of(new Platform(runtime.jdk().ociArchitecture(), "linux")))
                .addFileEntriesLayer(runtimeLayer())
                .addFileEntriesLayer(jarLayer())
                .setEntrypoint(ENTRYPOINT)
                .setProgramArguments(COMMAND)
                .setUser(USER)
                .setWorkingDirectory(DATA)
                .addExposedPort(Port.tcp(PORT))
                .addVolume(DATA)
                .setLabels(labels);
    }

    /** The runtime, the system libraries at their own paths, /etc/passwd, group and nsswitch.conf, /tmp, the data directory. */
    FileEntriesLayer runtimeLayer() throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("runtime");
        Path home = runtime.home();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(home)) {
            files = walk.filter(path -> !path.equals(home)).sorted().toList();
        }
        for (Path file : files) {
            layer.addEntry(entry(file, JAVA_HOME.resolve(home.relativize(file).toString()), ROOT));
        }
        for (Path library : libraries.paths()) {
            // Read through symbolic links: the image holds the library itself under the name the loader asks for.
            layer.addEntry(new FileEntry(library, AbsoluteUnixPath.get(library.toString()),
                    FilePermissions.fromOctalString("755"), FileEntriesLayer.DEFAULT_MODIFICATION_TIME, ROOT));
        }
        Path etc = Files.createDirectories(filesDir.resolve("etc"));
        // Java asks for the user's name and home; containers mount /etc/hosts, which should answer before DNS.
        writeFile(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + "berth:x:" + UID + ":" + UID + ":Berth registry:" + DATA + ":/sbin/nologin\n");
        writeFile(etc.resolve("group"), "root:x:0:\nberth:x:" + UID + ":\n");
        writeFile(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
        for (String name : List.of("passwd", "group", "nsswitch.conf")) {
            layer.addEntry(new FileEntry(etc.resolve(name), AbsoluteUnixPath.get("/etc/" + name),
                    FilePermissions.fromOctalString("644"), FileEntriesLayer.DEFAULT_MODIFICATION_TIME, ROOT));
        }
        Path empty = Files.createDirectories(filesDir.resolve("empty"));
        // Jib writes only the nine permission bits, so /tmp cannot have the sticky bit; one user runs here anyway.
        layer.addEntry(new FileEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"),
                FileEntriesLayer.DEFAULT_MODIFICATION_TIME, ROOT));
        layer.addEntry(new FileEntry(empty, DATA, FilePermissions.fromOctalString("750"),
                FileEntriesLayer.DEFAULT_MODIFICATION_TIME, USER));
        return layer.build();
    }

    /** The jar alone, owned by root and read-only to Berth's user. */
    FileEntriesLayer jarLayer() {
        return FileEntriesLayer.builder().setName("berth")
                .addEntry(new FileEntry(jar.path(), JAR, FilePermissions.fromOctalString("644"),
                        FileEntriesLayer.DEFAULT_MODIFICATION_TIME, ROOT))
                .build();
    }

    private static FileEntry entry(Path source, AbsoluteUnixPath target, String ownership) throws IOException {
        FilePermissions permissions = FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source));
        return new FileEntry(source, target, permissions, FileEntriesLayer.DEFAULT_MODIFICATION_TIME, ownership);
    }

    /** Writes {@code content} unless the file already holds it, so that a cached file keeps its identity. */
    private static void writeFile(Path file, String content) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
