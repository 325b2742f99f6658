package dev.berth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.BerthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading the PEM files of the tls section: the key formats openssl writes, and what is wrong with a bad file. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsMaterialTest {
    @TempDir
    static Path dir;

    private TestPki pki;
    private TestPki.Authority ca;
    private TestPki.Issued server;

    @BeforeAll
    void certificates() throws Exception {
        pki = TestPki.in(dir.resolve("pki"));
        ca = pki.authority("ca", "Berth Test CA");
        server = ca.server("server", TestPki.KeyType.EC_P256);
    }

    private static BerthConfig.Tls tls(Path cert, Path key) {
        return new BerthConfig.Tls(Optional.of(cert), Optional.of(key), Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(TestPki.KeyType.class)
    void aPkcs8KeyOfEveryKindLoadsWithItsCertificate(TestPki.KeyType type) throws Exception {
        TestPki.Issued issued = ca.server("pkcs8-" + type, type);
        assertThat(Files.readString(issued.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        TlsMaterial material = TlsMaterial.load(tls(issued.cert(), issued.key()));
        assertThat(material.certificate().getSerialNumber()).isEqualTo(issued.serial());
        assertThat(material.keyStore("pw".toCharArray()).isKeyEntry("berth")).isTrue();
    }

    @Test
    void aSec1EcKeyLoads() throws Exception {
        Path sec1 = pki.traditional(server.key());
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(TlsMaterial.load(tls(server.cert(), sec1)).key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aPkcs1RsaKeyLoads() throws Exception {
        TestPki.Issued rsa = ca.server("rsa", TestPki.KeyType.RSA_2048);
        Path pkcs1 = pki.traditional(rsa.key());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(TlsMaterial.load(tls(rsa.cert(), pkcs1)).key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void theChainKeepsItsOrderAndOneFileMayHoldCertificateAndKey() throws Exception {
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(server.cert()) + Files.readString(ca.cert())
                + Files.readString(server.key()));
        TlsMaterial material = TlsMaterial.load(tls(both, both));
        assertThat(material.chain()).hasSize(2);
        assertThat(material.chain().get(0).getSerialNumber()).isEqualTo(server.serial());
        assertThat(material.chain().get(1).getSubjectX500Principal().getName()).isEqualTo("CN=Berth Test CA");
    }

    @Test
    void clientCasAreReadIntoATrustStore() throws Exception {
        TlsMaterial material = TlsMaterial.load(new BerthConfig.Tls(Optional.of(server.cert()),
                Optional.of(server.key()), Optional.of(ca.cert())));
        assertThat(material.clientAuthentication()).isTrue();
        assertThat(material.trustStore().orElseThrow().isCertificateEntry("client-ca-1")).isTrue();
        assertThat(TlsMaterial.load(tls(server.cert(), server.key())).clientAuthentication()).isFalse();
    }

    @Test
    void aMissingFileIsNamedWithItsKey() {
        Path missing = dir.resolve("missing.crt");
        assertThatThrownBy(() -> TlsMaterial.load(tls(missing, server.key())))
                .isInstanceOf(TlsFileException.class)
                .hasMessage("tls.cert: " + missing + ": no such file");
        assertThatThrownBy(() -> TlsMaterial.load(tls(server.cert(), dir.resolve("missing.key"))))
                .hasMessageStartingWith("tls.key: " + dir.resolve("missing.key") + ": no such file");
        assertThatThrownBy(() -> TlsMaterial.load(new BerthConfig.Tls(Optional.of(server.cert()),
                Optional.of(server.key()), Optional.of(missing))))
                .hasMessageStartingWith("tls.client-ca: " + missing + ": no such file");
    }

    @Test
    void aCertificateFileWithoutACertificateIsRefused() {
        // The key file named as the certificate: the commonest slip.
        assertThatThrownBy(() -> TlsMaterial.load(tls(server.key(), server.key())))
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith("tls.cert: " + server.key() + ": no certificate");
    }

    @Test
    void aKeyFileWithoutAKeyIsRefused() {
        assertThatThrownBy(() -> TlsMaterial.load(tls(server.cert(), server.cert())))
                .hasMessageStartingWith("tls.key: " + server.cert() + ": no private key");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        TestPki.Issued other = ca.server("other", TestPki.KeyType.EC_P256);
        TestPki.Issued rsa = ca.server("other-rsa", TestPki.KeyType.RSA_2048);
        for (Path wrongKey : new Path[] {other.key(), rsa.key()}) {
            assertThatThrownBy(() -> TlsMaterial.load(tls(server.cert(), wrongKey)))
                    .hasMessageStartingWith("tls.key: " + wrongKey + ": the private key does not belong to the"
                            + " certificate of tls.cert (" + server.cert());
        }
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToDecryptIt() throws Exception {
        Path encrypted = pki.encrypted(server.key());
        assertThatThrownBy(() -> TlsMaterial.load(tls(server.cert(), encrypted)))
                .hasMessageContaining("tls.key: " + encrypted + ": the private key is encrypted")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void brokenPemIsRefusedWithWhatIsBroken() throws Exception {
        Path truncated = Files.writeString(dir.resolve("truncated.crt"),
                Files.readString(server.cert()).replace("-----END CERTIFICATE-----", ""));
        assertThatThrownBy(() -> TlsMaterial.load(tls(truncated, server.key())))
                .hasMessageStartingWith("tls.cert: " + truncated + ": the CERTIFICATE block has no -----END");
        Path garbage = Files.writeString(dir.resolve("garbage.crt"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TlsMaterial.load(tls(garbage, server.key())))
                .hasMessageStartingWith("tls.cert: " + garbage + ": certificate 1 is not a valid X.509 certificate");
        Path badKey = Files.writeString(dir.resolve("bad.key"),
                "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsMaterial.load(tls(server.cert(), badKey)))
                .hasMessageStartingWith("tls.key: " + badKey + ": the EC PRIVATE KEY block is not a valid key");
    }
}
