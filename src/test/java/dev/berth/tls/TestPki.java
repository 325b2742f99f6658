package dev.berth.tls;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Certificates made for a test by the real {@code openssl} command: certificate authorities, server certificates
 * for 127.0.0.1 and localhost, client certificates, and the key formats Berth reads. Everything lives in one
 * directory, each file named after what it is.
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** A PKI whose files go to {@code dir} (created when missing). */
    public static TestPki in(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new TestPki(dir);
    }

    /** The kinds of private key openssl makes here. */
    public enum KeyType {
        EC_P256("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
        RSA_2048("-newkey", "rsa:2048"),
        ED25519("-newkey", "ed25519");

        private final List<String> reqOptions;

        KeyType(String... reqOptions) {
            this.reqOptions = List.of(reqOptions);
        }
    }

    /** A certificate and its key, as PEM files. */
    public record Issued(String name, Path cert, Path key, BigInteger serial) {
        /** The certificate, parsed by the JDK. */
        public X509Certificate certificate() throws IOException {
            return TestPki.certificate(cert);
        }
    }

    /** A certificate authority: a self-signed CA certificate and its key. */
    public final class Authority {
        private final Issued self;

        private Authority(Issued self) {
            this.self = self;
        }

        /** The CA certificate (PEM), what clients trust and what {@code tls.client-ca} names. */
        public Path cert() {
            return self.cert();
        }

        /** A server certificate for IP 127.0.0.1 and DNS localhost, with a fresh key of {@code type}. */
        public Issued server(String name, KeyType type) throws IOException {
            return issue(name, "/CN=localhost", type, """
                    subjectAltName=IP:127.0.0.1,DNS:localhost
                    extendedKeyUsage=serverAuth
                    basicConstraints=critical,CA:FALSE
                    """);
        }

        /** A client certificate whose subject is {@code CN=user, O=Berth tests}. */
        public Issued client(String name, String user) throws IOException {
            return issue(name, "/O=Berth tests/CN=" + user, KeyType.EC_P256, """
                    extendedKeyUsage=clientAuth
                    basicConstraints=critical,CA:FALSE
                    """);
        }

        private Issued issue(String name, String subject, KeyType type, String extensions) throws IOException {
            Path key = dir.resolve(name + ".key");
            Path csr = dir.resolve(name + ".csr");
            Path cert = dir.resolve(name + ".crt");
            Path ext = Files.writeString(dir.resolve(name + ".ext"), extensions);
            List<String> req = new ArrayList<>(List.of("openssl", "req", "-new"));
            req.addAll(type.reqOptions);
            req.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject));
            openssl(req);
            BigInteger serial = new BigInteger(63, RANDOM).add(BigInteger.ONE);
            openssl(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", self.cert().toString(),
                    "-CAkey", self.key().toString(), "-set_serial", "0x" + serial.toString(16), "-days", "30",
                    "-extfile", ext.toString(), "-out", cert.toString()));
            return new Issued(name, cert, key, serial);
        }
    }

    /** A new CA named {@code CN=commonName}, its files {@code name.crt} and {@code name.key}. */
    public Authority authority(String name, String commonName) throws IOException {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        BigInteger serial = new BigInteger(63, RANDOM).add(BigInteger.ONE);
        openssl(List.of("openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "30",
                "-set_serial", "0x" + serial.toString(16), "-subj", "/CN=" + commonName,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
        return new Authority(new Issued(name, cert, key, serial));
    }

    /** {@code key} rewritten in OpenSSL's traditional format: {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY}. */
    public Path traditional(Path key) throws IOException {
        Path out = dir.resolve(key.getFileName() + ".traditional");
        openssl(List.of("openssl", "pkey", "-in", key.toString(), "-traditional", "-out", out.toString()));
        return out;
    }

    /** {@code key} encrypted with a passphrase (PKCS#8 {@code ENCRYPTED PRIVATE KEY}). */
    public Path encrypted(Path key) throws IOException {
        Path out = dir.resolve(key.getFileName() + ".encrypted");
        openssl(List.of("openssl", "pkcs8", "-topk8", "-in", key.toString(), "-passout", "pass:secret",
                "-out", out.toString()));
        return out;
    }

    /** A client {@link SSLContext} trusting {@code ca}, presenting no certificate. */
    public static SSLContext trusting(Path ca) throws IOException {
        return context(ca, null);
    }

    /** A client {@link SSLContext} trusting {@code ca} and presenting {@code client} when the server asks. */
    public SSLContext trustingWithCertificate(Path ca, Issued client) throws IOException {
        return context(ca, pkcs12(client));
    }

    /** {@code issued} as a PKCS#12 key store (password {@code test}), made by openssl. */
    public KeyStore pkcs12(Issued issued) throws IOException {
        Path p12 = dir.resolve(issued.name() + "-" + SEQUENCE.incrementAndGet() + ".p12");
        openssl(List.of("openssl", "pkcs12", "-export", "-in", issued.cert().toString(), "-inkey",
                issued.key().toString(), "-name", issued.name(), "-passout", "pass:test", "-out", p12.toString()));
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "test".toCharArray());
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + p12 + ": " + e, e);
        }
    }

    /**
     * A client {@link SSLContext} trusting {@code ca} that presents {@code client} whenever the server asks, even
     * when the server names CAs that did not sign it (the JDK's own key manager would then send nothing): a client
     * that insists, as curl does.
     */
    public SSLContext trustingAndInsistingOn(Path ca, Issued client) throws IOException {
        try {
            KeyStore keys = pkcs12(client);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, "test".toCharArray());
            X509ExtendedKeyManager manager = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
            String alias = client.name();
            X509ExtendedKeyManager insisting = new X509ExtendedKeyManager() {
                @Override
                public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                    return alias;
                }

                @Override
                public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                    return alias;
                }

                @Override
                public String[] getClientAliases(String keyType, Principal[] issuers) {
                    return new String[] {alias};
                }

                @Override
                public String[] getServerAliases(String keyType, Principal[] issuers) {
                    return null;
                }

                @Override
                public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                    return null;
                }

                @Override
                public X509Certificate[] getCertificateChain(String name) {
                    return manager.getCertificateChain(name);
                }

                @Override
                public PrivateKey getPrivateKey(String name) {
                    return manager.getPrivateKey(name);
                }
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {insisting}, trustManagers(ca), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build an SSLContext for " + client.name() + ": " + e, e);
        }
    }

    private static TrustManager[] trustManagers(Path ca) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(ca));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        return trustManagers.getTrustManagers();
    }

    /** An SSLContext trusting {@code ca}, with the key manager of {@code keys} (password {@code test}) if any. */
    public static SSLContext context(Path ca, KeyStore keys) throws IOException {
        try {
            KeyManagerFactory keyManagers = null;
            if (keys != null) {
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, "test".toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers(ca), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build an SSLContext trusting " + ca + ": " + e, e);
        }
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate certificate(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate " + pem + ": " + e, e);
        }
    }

    /** Runs openssl; fails with its output when it exits non-zero. Tests never skip for a missing tool. */
    public static void openssl(List<String> command) throws IOException {
        Path log = Files.createTempFile("berth-openssl-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("openssl did not finish within 60 s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IOException("openssl failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                        + "\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Cannot run program")) {
                throw new IOException("openssl is not installed; the TLS tests need it (apt-get install -y openssl)",
                        e);
            }
            throw e;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
