package dev.berth.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The JDK modules of Berth's runtime: those jdeps finds the jar using, plus providers that no class names but Berth
 * loads, minus those that only optional code in the jar uses.
 */
record RuntimeModules(List<String> names) {
    /** Modules jdeps reports that Berth does without, with the reason. */
    static final Map<String, String> LEFT_OUT = Map.of("java.desktop",
            "only Jackson's optional java.beans support and Jetty's class-loader leak preventers refer to it;"
                    + " a headless registry uses neither, and it would add AWT with its native libraries");
    /**
     * Provider modules to add when the JDK has them: on Java 21, the elliptic-curve algorithms of TLS (ECDHE, the
     * usual certificates of S3 and Swift endpoints) are in jdk.crypto.ec; from 22 on it is an empty module.
     */
    static final List<String> PROVIDERS = List.of("jdk.crypto.ec");

    RuntimeModules {
        names = List.copyOf(names);
    }

    /** What jdeps {@code found}, minus {@link #LEFT_OUT}, plus the {@link #PROVIDERS} among {@code available}, sorted. */
    static RuntimeModules select(List<String> found, Set<String> available) {
        Set<String> names = new TreeSet<>(found);
        names.removeAll(LEFT_OUT.keySet());
        PROVIDERS.stream().filter(available::contains).forEach(names::add);
        return new RuntimeModules(new ArrayList<>(names));
    }

    /**
     * The modules for {@code jar}, from {@code jdeps --print-module-deps} of {@code jdk}; kept in {@code cacheDir}
     * under the jar's digest, since jdeps takes several seconds over a fat jar.
     */
    static RuntimeModules forJar(Jdk jdk, Path jar, Path cacheDir, Consumer<String> log) throws IOException {
        Path cached = cacheDir.resolve("modules").resolve(fileSha256(jar) + "-" + jdk.key() + ".txt");
        List<String> found;
        if (Files.isRegularFile(cached)) {
            found = parseJdeps(Files.readString(cached, StandardCharsets.UTF_8));
        } else {
            long started = System.nanoTime();
            String printed = ExternalCommand.of(jdk.tool("jdeps"), "--print-module-deps", "--ignore-missing-deps",
                    "--multi-release", Integer.toString(jdk.feature()), jar.toString()).run();
            found = parseJdeps(printed);
            Files.createDirectories(cached.getParent());
            Path partial = Files.createTempFile(cached.getParent(), "modules-", ".tmp");
            Files.writeString(partial, String.join(",", found) + "\n", StandardCharsets.UTF_8);
            Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            log.accept("jdeps: the jar uses " + String.join(",", found) + " ("
                    + (System.nanoTime() - started) / 1_000_000 + " ms)");
        }
        RuntimeModules selected = select(found, jdk.modules());
        LEFT_OUT.forEach((module, why) -> {
            if (found.contains(module)) {
                log.accept("runtime: leaving out " + module + ": " + why);
            }
        });
        return selected;
    }

    /** The module names of jdeps' {@code --print-module-deps} output: the last line, separated by commas. */
    static List<String> parseJdeps(String printed) throws IOException {
        String[] lines = printed.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (last.isEmpty() || !last.matches("[A-Za-z0-9_.]+(,[A-Za-z0-9_.]+)*")) {
            throw new IOException("jdeps printed no module list:\n" + printed);
        }
        return List.copyOf(Arrays.asList(last.split(",")));
    }

    private static String fileSha256(Path file) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
