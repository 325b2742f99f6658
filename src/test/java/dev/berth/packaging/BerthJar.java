package dev.berth.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Berth's fat jar and the version Maven recorded in it (what {@code berth --version} prints). */
record BerthJar(Path path, String version) {
    private static final String POM_PROPERTIES = "META-INF/maven/dev.berth/berth/pom.properties";

    /** Reads the version of the jar at {@code path}. */
    static BerthJar at(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IOException("no Berth jar at " + absolute + "; build it with mvn package (or ./berth, which"
                    + " builds it when needed)");
        }
        try (ZipFile zip = new ZipFile(absolute.toFile())) {
            ZipEntry entry = zip.getEntry(POM_PROPERTIES);
            if (entry == null || zip.getEntry("dev/berth/cli/Main.class") == null) {
                throw new IOException(absolute + " is not Berth's fat jar (it has no " + POM_PROPERTIES
                        + " or no dev.berth.cli.Main)");
            }
            Properties properties = new Properties();
            try (InputStream in = zip.getInputStream(entry)) {
                properties.load(in);
            }
            String version = properties.getProperty("version", "").strip();
            if (version.isEmpty()) {
                throw new IOException(absolute + ": " + POM_PROPERTIES + " names no version");
            }
            return new BerthJar(absolute, version);
        }
    }
}
