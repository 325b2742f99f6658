package dev.berth.tls;

import dev.berth.config.BerthConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener's context, kept in step with its files: TLS 1.2 and 1.3 only, the certificate and key of the
 * {@code tls} section, and with {@code tls.client-ca} a client certificate asked for (wanted, not needed) and checked
 * against those CAs. Once {@link #watch() watched}, it looks at the files every {@link #CHECK_INTERVAL}; when one has
 * changed (its content or its modification time) the new material serves every new connection, and material that
 * fails to load is logged and the old one kept.
 */
public final class ServerTls implements AutoCloseable {
    /** How often the files are looked at: three small files read and hashed, so it costs next to nothing. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final BerthConfig.Tls files;
    private final SslContextFactory.Server factory;
    // The key store lives only in this process; its password keeps nothing secret but must match its entry.
    private final String keyStorePassword = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(18));
    private final Object lock = new Object();
    private List<Fingerprint> fingerprints;
    private TlsMaterial current;
    private ScheduledExecutorService checker;

    private ServerTls(BerthConfig.Tls files, List<Fingerprint> fingerprints, TlsMaterial material) {
        this.files = files;
        this.fingerprints = fingerprints;
        this.current = material;
        this.factory = new SslContextFactory.Server();
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // TLS 1.2 renegotiation only lets a client make the server redo handshakes; no registry client needs it.
        factory.setRenegotiationAllowed(false);
        // HTTP/2 forbids some TLS 1.2 cipher suites; ordering those last keeps them from being chosen for h2.
        factory.setCipherComparator(HTTP2Cipher.COMPARATOR);
        // Ask for a client certificate only where it means something; never require one, so passwords still work.
        factory.setWantClientAuth(material.clientAuthentication());
        factory.setNeedClientAuth(false);
        use(material);
    }

    /**
     * Reads the files of {@code tls} and builds the context from them.
     *
     * @throws TlsFileException naming the key and file that cannot be used
     */
    public static ServerTls load(BerthConfig.Tls tls) throws TlsFileException {
        // Fingerprints first: a file that changes while it is read is then seen as changed at the first check.
        List<Fingerprint> before = fingerprints(tls);
        TlsMaterial material = TlsMaterial.load(tls);
        X509Certificate certificate = material.certificate();
        log.info("tls: serving the certificate {} (serial {}, valid until {}){}",
                certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16),
                certificate.getNotAfter().toInstant(), material.clientAuthentication()
                        ? "; client certificates of " + material.clientCas().size() + " CA(s) log users in" : "");
        warnIfOutOfDate(certificate);
        return new ServerTls(tls, before, material);
    }

    /** The Jetty context to give the listener's {@code SslConnectionFactory}. */
    public SslContextFactory.Server sslContextFactory() {
        return factory;
    }

    /** The material new connections are served with now. */
    public TlsMaterial current() {
        synchronized (lock) {
            return current;
        }
    }

    /** Starts looking at the files every {@link #CHECK_INTERVAL}, once the listener runs; {@link #close()} stops it. */
    public void watch() {
        synchronized (lock) {
            if (checker != null) {
                return;
            }
            checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "berth-tls-files");
                thread.setDaemon(true);
                return thread;
            });
            long millis = CHECK_INTERVAL.toMillis();
            checker.scheduleWithFixedDelay(this::checkFiles, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Loads the files again if any has changed since they were last loaded (or last failed to load). */
    void checkFiles() {
        try {
            List<Fingerprint> now = fingerprints(files);
            synchronized (lock) {
                if (now.equals(fingerprints)) {
                    return;
                }
                fingerprints = now;
            }
            TlsMaterial material;
            try {
                material = TlsMaterial.load(files);
            } catch (TlsFileException e) {
                // Often a half-done replacement (the certificate written, not yet its key): the next change retries.
                log.warn("tls: the changed files cannot be used, so new connections keep the certificate loaded"
                        + " before (serial {}): {}", current().certificate().getSerialNumber().toString(16),
                        e.getMessage());
                return;
            }
            factory.reload(f -> use(material));
            synchronized (lock) {
                current = material;
            }
            X509Certificate certificate = material.certificate();
            log.info("tls: reloaded; new connections get the certificate {} (serial {}, valid until {}){}",
                    certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16),
                    certificate.getNotAfter().toInstant(),
                    material.clientAuthentication() ? " and " + material.clientCas().size() + " client CA(s)" : "");
            warnIfOutOfDate(certificate);
        } catch (Exception e) {
            // The checker must survive anything, or the files would silently never be looked at again.
            log.error("tls: checking the certificate files failed; new connections keep the current certificate", e);
        }
    }

    /** Points the factory at {@code material}; called before the factory starts, and inside its reload. */
    private void use(TlsMaterial material) {
        factory.setKeyStore(material.keyStore(keyStorePassword.toCharArray()));
        factory.setKeyStorePassword(keyStorePassword);
        factory.setKeyManagerPassword(keyStorePassword);
        material.trustStore().ifPresent(factory::setTrustStore);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (checker != null) {
                checker.shutdownNow();
                checker = null;
            }
        }
    }

    private static void warnIfOutOfDate(X509Certificate certificate) {
        Instant now = Instant.now();
        if (certificate.getNotAfter().toInstant().isBefore(now)) {
            log.warn("tls: the certificate {} expired at {}; clients will refuse it",
                    certificate.getSubjectX500Principal().getName(), certificate.getNotAfter().toInstant());
        } else if (certificate.getNotBefore().toInstant().isAfter(now)) {
            log.warn("tls: the certificate {} is valid only from {}; clients will refuse it until then",
                    certificate.getSubjectX500Principal().getName(), certificate.getNotBefore().toInstant());
        }
    }

    /** What is looked at to see a file change: its modification time and a hash of its content; empty: missing. */
    private record Fingerprint(Path file, Optional<Instant> modified, String sha256) {}

    private static List<Fingerprint> fingerprints(BerthConfig.Tls tls) {
        List<Fingerprint> prints = new ArrayList<>();
        for (Optional<Path> file : List.of(tls.cert(), tls.key(), tls.clientCa())) {
            if (file.isPresent()) {
                prints.add(fingerprint(file.get()));
            }
        }
        return prints;
    }

    private static Fingerprint fingerprint(Path file) {
        try {
            // Both read through symbolic links, so a link switched to a new file (as Kubernetes does) is a change.
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return new Fingerprint(file, Optional.of(modified), Base64.getEncoder().encodeToString(hash));
        } catch (NoSuchFileException e) {
            return new Fingerprint(file, Optional.empty(), "missing");
        } catch (IOException e) {
            // Loading reports why; the fingerprint only has to differ from a readable file's.
            return new Fingerprint(file, Optional.empty(), "unreadable: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
