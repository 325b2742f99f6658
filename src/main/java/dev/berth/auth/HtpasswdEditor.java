package dev.berth.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Adds, replaces and removes users in an htpasswd file with bcrypt ({@code $2y$}) hashes, as {@code htpasswd -B}
 * writes them. Each change writes a temporary file next to the file and renames it over the file, so a server
 * reading it sees the old users or the new ones, never half a file. Two editors at once may lose one change.
 */
public final class HtpasswdEditor {
    /** The bcrypt cost: about 50 ms per check here, and the server caches verified passwords. */
    public static final int COST = 10;
    private static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r-----");

    private HtpasswdEditor() {}

    /** Sets {@code user}'s password, adding the user or replacing its hash; creates the file when missing. */
    public static void put(Path file, String user, char[] password) throws IOException {
        checkUser(user);
        if (password.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(COST, password);
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        for (String line : existingLines(file)) {
            if (isEntryOf(line, user)) {
                if (!replaced) {
                    lines.add(user + ":" + hash);
                    replaced = true;
                }
            } else {
                lines.add(line);
            }
        }
        if (!replaced) {
            lines.add(user + ":" + hash);
        }
        replace(file, lines);
    }

    /** Removes {@code user}; false when the file has no such user (then it is left as it was). */
    public static boolean remove(Path file, String user) throws IOException {
        checkUser(user);
        List<String> lines = new ArrayList<>(existingLines(file));
        if (!lines.removeIf(line -> isEntryOf(line, user))) {
            return false;
        }
        replace(file, lines);
        return true;
    }

    /** User names as htpasswd allows them (no colon), without spaces, and not the reserved {@code anonymous}. */
    static void checkUser(String user) {
        if (user == null || !user.matches("[^:\\s\\p{Cntrl}]+")) {
            throw new IllegalArgumentException("'" + user + "' is not a user name (no spaces or colons)");
        }
        if (user.equals(Principal.ANONYMOUS_NAME)) {
            throw new IllegalArgumentException("'anonymous' is reserved for callers without credentials");
        }
    }

    private static boolean isEntryOf(String line, String user) {
        return line.startsWith(user + ":");
    }

    private static List<String> existingLines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static void replace(Path file, List<String> lines) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        try {
            // The file holds password hashes: keep the permissions it had, or give a new one none for others.
            Set<PosixFilePermission> permissions = Files.exists(absolute)
                    ? Files.getPosixFilePermissions(absolute)
                    : NEW_FILE_PERMISSIONS;
            Files.setPosixFilePermissions(temp, permissions);
            StringBuilder text = new StringBuilder();
            lines.forEach(line -> text.append(line).append('\n'));
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
