package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys as openssl writes them: the public key Berth derives is the one openssl derives. */
class PrivateKeyPemTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "EC PKCS#8, ES256, genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256",
        "EC SEC1, ES256, ecparam -name prime256v1 -genkey -noout",
        "Ed25519 PKCS#8, EdDSA, genpkey -algorithm ed25519"})
    void aKeyOpensslWroteSignsAndItsPublicKeyIsOpensslsToo(String kind, String alg, String command) throws Exception {
        Path key = dir.resolve("key.pem");
        List<String> args = new ArrayList<>(List.of("openssl"));
        args.addAll(List.of(command.split(" ")));
        args.addAll(List.of("-out", key.toString()));
        openssl(args);
        Path publicDer = dir.resolve("public.der");
        openssl(List.of("openssl", "pkey", "-in", key.toString(), "-pubout", "-outform", "DER", "-out",
                publicDer.toString()));

        SigningKey parsed = PrivateKeyPem.parse(Files.readString(key));
        assertThat(parsed.algorithm().jwsName()).isEqualTo(alg);
        assertThat(parsed.verification().publicKey().getEncoded()).isEqualTo(Files.readAllBytes(publicDer));
        byte[] message = "signed by the configured key".getBytes();
        assertThat(parsed.verification().verifies(message, parsed.sign(message))).isTrue();
        // Written back as PKCS#8 and read again, it is the same key.
        assertThat(PrivateKeyPem.parse(parsed.toPem()).kid()).isEqualTo(parsed.kid());
    }

    @Test
    void otherKeysAreRefusedWithAReason() throws Exception {
        Path rsa = dir.resolve("rsa.pem");
        openssl(List.of("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                rsa.toString()));
        assertThatThrownBy(() -> PrivateKeyPem.parse(Files.readString(rsa)))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("not an EC P-256 or Ed25519 key");
        Path p384 = dir.resolve("p384.pem");
        openssl(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out",
                p384.toString()));
        assertThatThrownBy(() -> PrivateKeyPem.parse(Files.readString(p384)))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("P-256");
        Path encrypted = dir.resolve("encrypted.pem");
        openssl(List.of("openssl", "genpkey", "-algorithm", "ed25519", "-aes256", "-pass", "pass:secret", "-out",
                encrypted.toString()));
        assertThatThrownBy(() -> PrivateKeyPem.parse(Files.readString(encrypted)))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> PrivateKeyPem.parse("not a key"))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("no PEM private key");
    }

    private static void openssl(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }
}
