package dev.berth.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The shared libraries and the program loader that a runtime's native code needs from the system, as {@code ldd}
 * finds them on this machine: the image holds each at the same path, so the loader finds them as it does here.
 */
record NativeLibraries(List<Path> paths) {
    NativeLibraries {
        paths = List.copyOf(paths);
    }

    /** What {@code ldd} lists for every ELF file of the runtime at {@code home}, outside the runtime itself. */
    static NativeLibraries of(Path home) throws IOException {
        List<Path> elfFiles;
        try (Stream<Path> files = Files.walk(home)) {
            elfFiles = files.filter(Files::isRegularFile).filter(NativeLibraries::isElf).sorted().toList();
        }
        if (elfFiles.isEmpty()) {
            throw new IOException(home + " holds no native programs or libraries; is it a Java runtime?");
        }
        // The runtime's libraries find libjvm.so because the java launcher has loaded it already; ldd must be told
        // where it is, so that only what really comes from the system is left.
        Map<String, String> environment = Map.of("LD_LIBRARY_PATH",
                home.resolve("lib/server") + ":" + home.resolve("lib"));
        Set<Path> needed = new TreeSet<>();
        for (Path file : elfFiles) {
            String printed;
            try {
                printed = new ExternalCommand(List.of("ldd", file.toString()), environment).run();
            } catch (IOException e) {
                throw new IOException("ldd could not list the libraries of " + file
                        + " (ldd comes with the C library's tools: libc-bin on Debian): " + e.getMessage(), e);
            }
            needed.addAll(parseLdd(printed, file));
        }
        Path realHome = home.toRealPath();
        return new NativeLibraries(needed.stream()
                .filter(path -> !path.startsWith(home) && !path.startsWith(realHome))
                .toList());
    }

    /**
     * The absolute paths in {@code ldd}'s output for {@code file}: "name => /path (address)" and "/loader (address)"
     * lines; virtual objects such as linux-vdso.so.1 have no path. A library ldd cannot find is an error.
     */
    static List<Path> parseLdd(String printed, Path file) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String raw : printed.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.equals("statically linked") || line.contains("not a dynamic executable")) {
                continue;
            }
            if (line.endsWith("=> not found")) {
                throw new IOException(file + " needs " + line.substring(0, line.indexOf(' '))
                        + ", which is not installed here (ldd: " + line + ")");
            }
            String path = line.contains("=>") ? line.substring(line.indexOf("=>") + 2).strip() : line;
            int address = path.indexOf(" (0x");
            if (address >= 0) {
                path = path.substring(0, address);
            }
            if (path.startsWith("/")) {
                paths.add(Path.of(path).normalize());
            }
        }
        return paths;
    }

    private static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
