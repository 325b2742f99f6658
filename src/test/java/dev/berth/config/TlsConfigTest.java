package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls section: which keys go together, and what the messages name when they do not. */
class TlsConfigTest {
    @TempDir
    Path dir;

    private String problem(String yaml, Map<String, String> env) throws IOException {
        try {
            ConfigLoader.load(yaml == null ? null : Files.writeString(dir.resolve("berth.yaml"), yaml), env, List.of());
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void aCertificateWithoutAKeyNamesTheMissingKey() throws Exception {
        assertThat(problem("tls: {cert: /etc/berth/tls.crt}\n", Map.of()))
                .isEqualTo("tls.key: required with tls.cert (/etc/berth/tls.crt): the certificate's private key");
        assertThat(problem(null, Map.of("BERTH_TLS_CERT", "/etc/berth/tls.crt"))).startsWith("tls.key: required");
    }

    @Test
    void aKeyWithoutACertificateNamesTheMissingCertificate() throws Exception {
        assertThat(problem("tls: {key: /etc/berth/tls.key}\n", Map.of()))
                .isEqualTo("tls.cert: required with tls.key (/etc/berth/tls.key): the certificate chain");
    }

    @Test
    void anEmptySectionOrAClientCaAloneNeedsBoth() throws Exception {
        assertThat(problem("tls: {}\n", Map.of())).contains("tls: cert and key are both required");
        assertThat(problem("tls: {client-ca: /etc/berth/ca.crt}\n", Map.of()))
                .contains("tls: cert and key are both required");
    }

    @Test
    void theThreeFilesAreRead() throws Exception {
        BerthConfig config = ConfigLoader.load(null, Map.of("BERTH_TLS_CERT", "/c.crt", "BERTH_TLS_KEY", "/k.key",
                "BERTH_TLS_CLIENT_CA", "/ca.crt"), List.of());
        assertThat(config.tls()).hasValue(new BerthConfig.Tls(Optional.of(Path.of("/c.crt")),
                Optional.of(Path.of("/k.key")), Optional.of(Path.of("/ca.crt"))));
    }

    @Test
    void noKeyDescriptionSaysTlsIsNotServed() {
        for (ConfigKey key : ConfigKeys.ALL) {
            if (key.path().startsWith("tls.")) {
                assertThat(key.description()).as(key.path()).doesNotContain("not served");
            }
        }
        assertThat(ConfigKeys.findSection("tls").orElseThrow().description()).doesNotContain("not served")
                .contains("TLS 1.2 and 1.3");
    }
}
