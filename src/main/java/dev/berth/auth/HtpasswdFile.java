package dev.berth.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of an htpasswd file with bcrypt hashes ({@code htpasswd -B}, {@code berth user add}), re-read when the
 * file changes (its modification time, size or inode), so users can be added without a restart.
 */
public final class HtpasswdFile {
    private static final Logger log = LoggerFactory.getLogger(HtpasswdFile.class);
    /** A hash of a random password, checked for unknown users so they take as long as known ones. */
    private static final String DUMMY_HASH = "$2y$10$N/ZT/FRM4bC3YB/qFY/2BerohxvCdjz080udmrfmUcRlR7ppzUTaq";
    // htpasswd -B (APR) hashes the first 72 bytes of a longer password; do the same to accept what it wrote.
    private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(BCrypt.Version.VERSION_2Y,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

    private final Path file;
    private final CredentialCache cache = new CredentialCache();
    private volatile Snapshot snapshot = new Snapshot(null, Map.of());

    /** What was read, and the file's identity when it was read. */
    private record Snapshot(Stamp stamp, Map<String, String> hashes) {}

    /** Modification time, size and inode: a change in any of them means the file was rewritten. */
    private record Stamp(FileTime modified, long size, Object fileKey) {}

    /** Reads {@code file} now and again whenever it changes; a missing file means no users (and a warning). */
    public HtpasswdFile(Path file) {
        this.file = file;
        refresh();
    }

    /** The file read. */
    public Path path() {
        return file;
    }

    /** Whether {@code password} is {@code user}'s; unknown users take as long to refuse as wrong passwords. */
    public boolean verify(String user, String password) {
        String hash = refresh().hashes().get(user);
        if (hash == null) {
            VERIFYER.verify(password.toCharArray(), DUMMY_HASH.toCharArray());
            return false;
        }
        if (cache.matches(user, hash, password)) {
            return true;
        }
        boolean verified = VERIFYER.verify(password.toCharArray(), hash.toCharArray()).verified;
        if (verified) {
            cache.remember(user, hash, password);
        }
        return verified;
    }

    /** Whether the file names {@code user} with a usable hash. */
    public boolean hasUser(String user) {
        return refresh().hashes().containsKey(user);
    }

    /** The snapshot for the file as it is now, re-reading it when it changed since the last look. */
    private Snapshot refresh() {
        Snapshot current = snapshot;
        Stamp stamp;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            stamp = new Stamp(null, -1, null);
        } catch (IOException e) {
            log.warn("htpasswd file {}: cannot read its attributes ({}); keeping the users read before", file,
                    e.toString());
            return current;
        }
        if (Objects.equals(stamp, current.stamp())) {
            return current;
        }
        synchronized (this) {
            if (Objects.equals(stamp, snapshot.stamp())) {
                return snapshot;
            }
            snapshot = read(stamp, current);
            return snapshot;
        }
    }

    private Snapshot read(Stamp stamp, Snapshot previous) {
        if (stamp.size() < 0) {
            log.warn("htpasswd file {} does not exist: no user can log in until it does (berth user add creates it)",
                    file);
            return new Snapshot(stamp, Map.of());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("htpasswd file {}: cannot read it ({}); keeping the users read before", file, e.toString());
            return previous;
        }
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "htpasswd file " + file + " line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                log.warn("{}: not USER:HASH; ignored", where);
                continue;
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (user.equals(Principal.ANONYMOUS_NAME)) {
                log.warn("{}: the user name 'anonymous' is reserved for callers without credentials; ignored", where);
            } else if (!isBcrypt(hash)) {
                // Never the hash itself in the log: even a weak hash is a secret.
                log.warn("{}: user '{}' has a {} hash, which Berth refuses; only bcrypt is accepted"
                        + " (htpasswd -B, or berth user add): this user cannot log in", where, user, kind(hash));
            } else if (hashes.putIfAbsent(user, hash) != null) {
                log.warn("{}: user '{}' is listed again; the first entry counts", where, user);
            }
        }
        log.info("htpasswd file {}: {} user(s)", file, hashes.size());
        return new Snapshot(stamp, Map.copyOf(hashes));
    }

    /** {@code $2a$}, {@code $2b$} or {@code $2y$}, a two-digit cost and 53 characters of salt and hash. */
    static boolean isBcrypt(String hash) {
        return hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    }

    /** A name for a hash kind Berth refuses, for the log line. */
    private static String kind(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "MD5 ($apr1$)";
        } else if (hash.startsWith("{SHA}")) {
            return "SHA-1 ({SHA})";
        } else if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "SHA-crypt";
        } else if (hash.startsWith("$2")) {
            return "malformed bcrypt";
        }
        return "crypt or plain-text";
    }
}
