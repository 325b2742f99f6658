package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Distribution API of an in-process Berth reached under one host name (such as {@code localhost} or
 * {@code 127.0.0.1} for the same listener), optionally with an {@code Authorization} header on every request.
 */
final class HostClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final Optional<String> authorization;

    private HostClient(URI base, Optional<String> authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** Requests to {@code host} on the port of {@code server} (e.g. {@code http://127.0.0.1:PORT}). */
    static HostClient at(URI server, String host) {
        return new HostClient(URI.create(server.getScheme() + "://" + host + ":" + server.getPort()),
                Optional.empty());
    }

    /** This client sending Basic credentials. */
    HostClient as(String user, String password) {
        return new HostClient(base, Optional.of("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
    }

    /** This client sending a bearer token. */
    HostClient bearer(String token) {
        return new HostClient(base, Optional.of("Bearer " + token));
    }

    /** The base URL, such as {@code http://localhost:PORT}. */
    URI base() {
        return base;
    }

    HttpResponse<String> send(String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (method.equals("PUT") && path.contains("/manifests/")) {
            request.header("Content-Type", OCI_MANIFEST);
        }
        if (method.equals("GET") && path.contains("/manifests/")) {
            request.header("Accept", OCI_MANIFEST);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    /** Pushes {@code content} as a blob of {@code repo} in one request; returns its digest. */
    String pushBlob(String repo, byte[] content) {
        String digest = sha256(content);
        HttpResponse<String> response = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return digest;
    }

    /** Pushes a config blob holding {@code config} and a manifest naming it as {@code tag}; returns the manifest. */
    byte[] pushImage(String repo, String tag, String config) {
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(repo, configBytes);
        byte[] manifest = manifest(configDigest, configBytes.length, null);
        HttpResponse<String> put = send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return manifest;
    }

    /** The repositories of {@code GET /v2/_catalog} (plus {@code query}, e.g. {@code ?n=1}). */
    List<String> catalog(String query) {
        HttpResponse<String> response = get("/v2/_catalog" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return texts(json(response).path("repositories"));
    }

    static byte[] manifest(String configDigest, long configSize, String subjectJson) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + configSize + "},\"layers\":[]" + (subjectJson == null ? "" : ",\"subject\":" + subjectJson)
                + "}").getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** The code of the first OCI error of a response. */
    static String errorCode(HttpResponse<String> response) {
        return json(response).path("errors").get(0).path("code").asText();
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
