package dev.berth.tls;

import dev.berth.config.BerthConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the TLS listener serves and checks with, read from the PEM files of the {@code tls} section: the certificate
 * chain, the private key that belongs to its first certificate, and the CA certificates that client certificates
 * must chain to (none: no client certificates are asked for).
 *
 * @param chain the server's certificate first, then the intermediates that lead to its CA
 * @param key the server certificate's private key
 * @param clientCas the CAs of mTLS; empty without {@code tls.client-ca}
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas) {
    public TlsMaterial {
        chain = List.copyOf(chain);
        clientCas = List.copyOf(clientCas);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    /**
     * Reads and checks the files {@code tls} names.
     *
     * @throws TlsFileException naming the key and the file: missing or unreadable, no certificate, no or several
     *         private keys, an encrypted or unsupported key, or a key that does not match the certificate
     */
    public static TlsMaterial load(BerthConfig.Tls tls) throws TlsFileException {
        Path certFile = tls.cert().orElseThrow(() -> new TlsFileException("tls.cert: not set"));
        Path keyFile = tls.key().orElseThrow(() -> new TlsFileException("tls.key: not set"));
        List<X509Certificate> chain = certificates("tls.cert", certFile);
        PrivateKey key = PemPrivateKey.from("tls.key", keyFile, PemBlock.read("tls.key", keyFile));
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new TlsFileException("tls.key: " + keyFile + ": the private key does not belong to the certificate"
                    + " of tls.cert (" + certFile + ", subject " + chain.get(0).getSubjectX500Principal().getName()
                    + ")");
        }
        List<X509Certificate> clientCas = tls.clientCa().isPresent()
                ? certificates("tls.client-ca", tls.clientCa().get())
                : List.of();
        return new TlsMaterial(chain, key, clientCas);
    }

    /** Whether client certificates are asked for and checked against {@link #clientCas()}. */
    public boolean clientAuthentication() {
        return !clientCas.isEmpty();
    }

    /** The server's own certificate, the first of the chain. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** An in-memory key store holding the key and chain under the alias {@code berth}, locked with {@code password}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("berth", key, password, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store: " + e.getMessage(), e);
        }
    }

    /** An in-memory trust store of the client CAs; empty when there are none. */
    public Optional<KeyStore> trustStore() {
        if (clientCas.isEmpty()) {
            return Optional.empty();
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < clientCas.size(); i++) {
                store.setCertificateEntry("client-ca-" + (i + 1), clientCas.get(i));
            }
            return Optional.of(store);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build an in-memory trust store: " + e.getMessage(), e);
        }
    }

    /** Every certificate in {@code file}, in order; at least one. */
    private static List<X509Certificate> certificates(String key, Path file) throws TlsFileException {
        List<PemBlock> blocks = PemBlock.read(key, file).stream().filter(b -> b.type().equals("CERTIFICATE")).toList();
        if (blocks.isEmpty()) {
            throw new TlsFileException(key, file, "no certificate (expected -----BEGIN CERTIFICATE----- blocks)");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (int i = 0; i < blocks.size(); i++) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(blocks.get(i).der())));
                } catch (CertificateException e) {
                    throw new TlsFileException(key, file, "certificate " + (i + 1) + " is not a valid X.509"
                            + " certificate: " + e.getMessage());
                }
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        return certificates;
    }

    /** Whether {@code key} is the private half of {@code publicKey}: same RSA modulus, or a signature that verifies. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) throws TlsFileException {
        if (key instanceof RSAKey rsa) {
            return publicKey instanceof RSAKey rsaPublic && rsa.getModulus().equals(rsaPublic.getModulus());
        }
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new TlsFileException("tls.key: unsupported key algorithm " + key.getAlgorithm());
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // A key of another curve than the certificate's cannot even verify: it does not match.
            return false;
        }
    }
}
