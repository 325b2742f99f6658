package dev.berth.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The store that several Berth replicas share in a scale-out test, one per backend: how to launch every
 * replica of one test so that together they are one registry. The S3 and Swift ones point at the servers
 * that {@code scripts/storage-servers} starts, as the {@code berth.test.*} system properties name them
 * (defaults: that script's endpoints), each test in a bucket or container of its own.
 */
@FunctionalInterface
public interface SharedStore {
    /** The launch of each replica of one test: {@code dir} is the test's own directory, {@code test} a short unique name. */
    BerthProcess.Launch launch(Path dir, String test);

    /**
     * The filesystem driver on one directory under {@code dir}, set in a configuration file as the S3 and Swift
     * stores are (not with {@code --storage}), so that this path is tested before those backends exist.
     */
    static SharedStore filesystem() {
        return (dir, test) -> BerthProcess.Launch.configured(Map.of("storage.driver", "filesystem",
                "storage.filesystem.root", dir.resolve("storage").toString()));
    }

    /** Swift through tempauth ({@code berth.test.swift.*}), in container {@code berth-e2e-TEST}. */
    static SharedStore swift() {
        return (dir, test) -> BerthProcess.Launch.configured(swiftSettings(containerName(test)));
    }

    /** S3 on Swift's s3api ({@code berth.test.s3.swift.*}), in bucket {@code berth-e2e-TEST}. */
    static SharedStore s3OnSwift() {
        return (dir, test) -> BerthProcess.Launch.configured(s3Settings("swift", containerName(test)));
    }

    /** S3 on s3proxy ({@code berth.test.s3.s3proxy.*}), in bucket {@code berth-e2e-TEST}. */
    static SharedStore s3OnS3proxy() {
        return (dir, test) -> BerthProcess.Launch.configured(s3Settings("s3proxy", containerName(test)));
    }

    /** Berth's settings for the Swift server of the tests, with {@code container}. */
    static Map<String, String> swiftSettings(String container) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("storage.driver", "swift");
        settings.put("storage.swift.auth-url", property("berth.test.swift.auth-url", "http://127.0.0.1:18080/auth/v1.0"));
        settings.put("storage.swift.user", property("berth.test.swift.user", "test:tester"));
        settings.put("storage.swift.key", property("berth.test.swift.key", "testing"));
        settings.put("storage.swift.container", container);
        return settings;
    }

    /** Berth's settings for S3 server {@code server} ("swift" or "s3proxy") of the tests, with {@code bucket}. */
    static Map<String, String> s3Settings(String server, String bucket) {
        Map<String, String> defaults = switch (server) {
            case "swift" -> Map.of("endpoint", "http://127.0.0.1:18080", "access-key", "test:tester",
                    "secret-key", "testing");
            case "s3proxy" -> Map.of("endpoint", "http://127.0.0.1:19000", "access-key", "local-identity",
                    "secret-key", "local-credential");
            default -> throw new IllegalArgumentException("no S3 test server " + server + "; swift or s3proxy");
        };
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("storage.driver", "s3");
        for (String key : new String[] {"endpoint", "access-key", "secret-key"}) {
            settings.put("storage.s3." + key, property("berth.test.s3." + server + "." + key, defaults.get(key)));
        }
        settings.put("storage.s3.region", "us-east-1");
        settings.put("storage.s3.path-style", "true");
        settings.put("storage.s3.bucket", bucket);
        return settings;
    }

    /** A bucket or container name for {@code test}: lower case, digits and dashes, 3 to 63 characters. */
    static String containerName(String test) {
        String name = ("berth-e2e-" + test).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        return name.length() <= 63 ? name : name.substring(0, 63).replaceAll("-+$", "");
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name, "");
        return value.isBlank() ? fallback : value.trim();
    }
}
