package dev.berth.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JDK on this machine that can make runtimes: its home, version, architecture, the modules it offers, and a key
 * that names exactly this build (for caches).
 */
record Jdk(Path home, String version, String architecture, Set<String> modules, String key) {
    /** The oldest Java Berth runs on. */
    static final int MIN_FEATURE = 21;

    Jdk {
        modules = Set.copyOf(modules);
    }

    /** The JDK at {@code home}, read from its {@code release} file; it must have jdeps and jlink and be new enough. */
    static Jdk at(Path home) throws IOException {
        Path real = home.toRealPath();
        for (String tool : new String[] {"jlink", "jdeps"}) {
            if (!Files.isExecutable(real.resolve("bin").resolve(tool))) {
                throw new IOException(real + " is not a JDK with " + tool + " (a JRE, or a runtime made by jlink);"
                        + " give --jdk a JDK " + MIN_FEATURE + " or newer");
            }
        }
        Path releaseFile = real.resolve("release");
        if (!Files.isRegularFile(releaseFile)) {
            throw new IOException(real + " has no release file, so its version and architecture are unknown");
        }
        String release = Files.readString(releaseFile, StandardCharsets.UTF_8);
        Map<String, String> fields = releaseFields(release);
        String version = require(fields, "JAVA_VERSION", releaseFile);
        if (feature(version) < MIN_FEATURE) {
            throw new IOException(real + " is Java " + version + "; Berth needs " + MIN_FEATURE + " or newer");
        }
        String arch = require(fields, "OS_ARCH", releaseFile);
        Set<String> modules = new TreeSet<>(Arrays.asList(require(fields, "MODULES", releaseFile).split(" ")));
        return new Jdk(real, version, arch, modules, sha256(real + "\n" + release).substring(0, 16));
    }

    /** The feature release, 25 for "25.0.3". */
    int feature() {
        return feature(version);
    }

    /** A program of the JDK, such as "jlink". */
    String tool(String name) {
        return home.resolve("bin").resolve(name).toString();
    }

    /** The architecture as OCI image configurations name it (GOARCH): amd64 for x86_64, arm64 for aarch64. */
    String ociArchitecture() {
        return switch (architecture) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i586", "i686" -> "386";
            default -> architecture;
        };
    }

    /** {@code KEY="value"} lines of a JDK release file. */
    static Map<String, String> releaseFields(String release) {
        Map<String, String> fields = new HashMap<>();
        for (String line : release.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                String value = line.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                fields.put(line.substring(0, equals).trim(), value);
            }
        }
        return fields;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static int feature(String version) {
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
    }

    private static String require(Map<String, String> fields, String key, Path file) throws IOException {
        String value = fields.get(key);
        if (value == null || value.isBlank()) {
            throw new IOException(file + " has no " + key);
        }
        return value;
    }
}
