package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestValidatorTest {
    private static final String D1 = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String D2 = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private final ManifestValidator validator = new ManifestValidator();

    private static byte[] json(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static String image(String extra) {
        return "{'schemaVersion':2,'mediaType':'" + MediaTypes.OCI_MANIFEST + "',"
                + "'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'" + D1 + "','size':2},"
                + "'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip','digest':'" + D2 + "','size':7}]"
                + extra + "}";
    }

    private void assertInvalid(String body, String contentType, String messagePart) {
        assertThatThrownBy(() -> validator.validate(json(body), contentType))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.errors().get(0).code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
                    assertThat(e.status()).isEqualTo(400);
                })
                .hasMessageContaining(messagePart);
    }

    @Test
    void imageManifestYieldsItsConfigAndLayersAndTheConfigTypeAsArtifactType() {
        ParsedManifest m = validator.validate(json(image("")), MediaTypes.OCI_MANIFEST);
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(m.blobs()).extracting(d -> d.digest().toString()).containsExactly(D1, D2);
        assertThat(m.artifactType()).isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(m.subject()).isNull();
    }

    @Test
    void artifactTypeAndSubjectAndAnnotationsAreRead() {
        ParsedManifest m = validator.validate(json(image(",'artifactType':'application/x.sbom',"
                + "'subject':{'mediaType':'" + MediaTypes.OCI_MANIFEST + "','digest':'" + D1 + "','size':9},"
                + "'annotations':{'k':'v'}")), "");
        assertThat(m.artifactType()).isEqualTo("application/x.sbom");
        assertThat(m.subject().digest().toString()).isEqualTo(D1);
        assertThat(m.annotations()).containsEntry("k", "v");
    }

    @Test
    void bodyWithoutMediaTypeTakesThePushedContentType() {
        String body = "{'schemaVersion':2,'manifests':[]}";
        assertThat(validator.validate(json(body), MediaTypes.DOCKER_MANIFEST_LIST + "; charset=utf-8").mediaType())
                .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(validator.validate(json(body), "application/json").mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    }

    @Test
    void contentTypeThatContradictsTheBodyIsRefused() {
        assertInvalid(image(""), MediaTypes.DOCKER_MANIFEST, "does not match");
    }

    @Test
    void mediaTypeThatContradictsTheStructureIsRefused() {
        assertInvalid("{'schemaVersion':2,'mediaType':'" + MediaTypes.OCI_INDEX + "','config':{},'layers':[]}", "",
                "must not have config");
        assertInvalid("{'schemaVersion':2,'mediaType':'" + MediaTypes.OCI_MANIFEST + "','manifests':[]}", "",
                "must not have manifests");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[]", "{'schemaVersion':1}", "{'schemaVersion':'2','manifests':[]}",
        "{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.v1+json'}",
        "{'schemaVersion':2,'mediaType':'application/x-unknown','manifests':[]}",
        "{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json','layers':[]}",
        "{'schemaVersion':2,'manifests':[{'mediaType':'x','digest':'sha256:abc','size':1}]}",
        "{'schemaVersion':2,'manifests':[{'mediaType':'x','digest':'" + D1 + "','size':-1}]}",
        "{'schemaVersion':2,'manifests':[{'digest':'" + D1 + "','size':1}]}",
        "{'schemaVersion':2,'manifests':[],'annotations':{'a':1}}",
        "{'schemaVersion':2,'manifests':[]} trailing",
        "{'schemaVersion':2,'schemaVersion':2,'manifests':[]}"
    })
    void malformedManifestsAreRefusedAsManifestInvalid(String body) {
        assertThatThrownBy(() -> validator.validate(json(body), ""))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.errors().get(0).code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
    }
}
