package dev.berth.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole configuration of one Berth process: one immutable tree, built by {@link ConfigLoader} from
 * flags, environment, file and defaults, in that order of precedence.
 *
 * @param listen {@code HOST:PORT} to bind
 * @param publicUrl base URL for {@code Location} headers; empty means taken from each request
 * @param storage where the objects live
 * @param limits request size limits
 * @param validation manifest validation policies
 * @param delete whether DELETE is allowed
 * @param lifecycle garbage collection, expiry and retention
 * @param verifyOnRead whether blob reads are hashed while they stream
 * @param auth access control; empty: every caller may do everything (the {@code auth} section switches it on)
 * @param tls the TLS listener's certificates; empty: plain HTTP
 * @param namespaces the isolated registries served besides the default namespace; empty: only the default
 * @param notifications the webhook endpoints that registry events are sent to
 * @param shutdown how Berth stops
 * @param admin the operational endpoints: metrics, health and readiness, and where they are served
 * @param log the request log and the level of Berth's own loggers
 */
public record BerthConfig(
        String listen,
        String publicUrl,
        Storage storage,
        Limits limits,
        Validation validation,
        Delete delete,
        Lifecycle lifecycle,
        VerifyOnRead verifyOnRead,
        Optional<Auth> auth,
        Optional<Tls> tls,
        List<NamespaceSpec> namespaces,
        Notifications notifications,
        Shutdown shutdown,
        Admin admin,
        Log log) {

    public BerthConfig {
        namespaces = List.copyOf(namespaces);
    }

    /** A configuration that serves the default namespace only. */
    public BerthConfig(String listen, String publicUrl, Storage storage, Limits limits, Validation validation,
            Delete delete, Lifecycle lifecycle, VerifyOnRead verifyOnRead, Optional<Auth> auth, Optional<Tls> tls) {
        this(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead, auth, tls, List.of(),
                Notifications.none(), new Shutdown(Duration.ofSeconds(30)), Admin.defaults(), Log.defaults());
    }

    /**
     * One namespace besides the default: an isolated registry in the same store, chosen by the host name a request
     * reached or, on every other host, by the first component of the repository name.
     *
     * @param name the namespace's id, which is also its prefix in the store; never {@code default}
     * @param hosts host names (without a port; any port matches) whose requests it serves, lower case
     * @param prefix the first repository-name component that chooses it on hosts no namespace claims; the
     *     repository inside the namespace is the rest of the name; empty: not chosen by prefix
     * @param publicUrl base URL for {@code Location} headers on its hosts; empty: taken from each request
     */
    public record NamespaceSpec(String name, List<String> hosts, Optional<String> prefix, String publicUrl) {
        public NamespaceSpec {
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * The storage backend and the settings of each driver; only the chosen driver's section is used.
     *
     * @param driver which backend holds the objects
     * @param filesystem the filesystem driver's settings
     * @param s3 the S3 driver's settings
     * @param swift the Swift driver's settings
     */
    public record Storage(StorageDriver driver, Filesystem filesystem, S3 s3, Swift swift) {
        /** A storage section with default S3 and Swift settings. */
        public Storage(StorageDriver driver, Filesystem filesystem) {
            this(driver, filesystem, S3.defaults(), Swift.defaults());
        }

        /** This section with another driver. */
        public Storage withDriver(StorageDriver newDriver) {
            return new Storage(newDriver, filesystem, s3, swift);
        }

        /** This section with other filesystem settings. */
        public Storage withFilesystem(Filesystem newFilesystem) {
            return new Storage(driver, newFilesystem, s3, swift);
        }

        /** This section with other S3 settings. */
        public Storage withS3(S3 newS3) {
            return new Storage(driver, filesystem, newS3, swift);
        }

        /** This section with other Swift settings. */
        public Storage withSwift(Swift newSwift) {
            return new Storage(driver, filesystem, s3, newSwift);
        }
    }

    /**
     * The filesystem backend's settings.
     *
     * @param root directory holding the objects; a relative path is relative to the working directory
     */
    public record Filesystem(Path root) {}

    /**
     * The S3 backend's settings (AWS, MinIO, Ceph, Swift's s3api, s3proxy).
     *
     * @param endpoint the service URL; empty for AWS's own endpoint of the region
     * @param region the signing region
     * @param bucket the bucket holding the objects
     * @param prefix a key prefix inside the bucket, so several registries can share one bucket; may be empty
     * @param accessKey the access key id; empty to use the AWS SDK's default credential chain
     * @param secretKey the secret access key
     * @param pathStyle true to address the bucket in the path rather than the host name
     */
    public record S3(String endpoint, String region, String bucket, String prefix, String accessKey,
            String secretKey, boolean pathStyle) {
        /** No endpoint, region us-east-1, bucket {@code berth}, no prefix, default credentials. */
        public static S3 defaults() {
            return new S3("", "us-east-1", "berth", "", "", "", false);
        }
    }

    /**
     * The OpenStack Swift backend's settings: tempauth (auth v1) with {@code user} and {@code key}, or Keystone v3
     * with {@code user}, {@code password}, {@code project} and {@code domain}; an auth URL ending in {@code /v3}
     * selects Keystone.
     *
     * @param authUrl the auth endpoint, such as {@code http://127.0.0.1:8080/auth/v1.0} or {@code https://keystone/v3}
     * @param user the user ({@code account:user} for tempauth)
     * @param key the tempauth key
     * @param password the Keystone password
     * @param project the Keystone project the token is scoped to
     * @param domain the Keystone domain of the user and project
     * @param region the Keystone region whose object-store endpoint is used; empty for the first one
     * @param container the container holding the objects, created when missing
     */
    public record Swift(String authUrl, String user, String key, String password, String project, String domain,
            String region, String container) {
        /** No credentials, domain {@code Default}, container {@code berth}. */
        public static Swift defaults() {
            return new Swift("", "", "", "", "", "Default", "", "berth");
        }

        /** True when the auth URL names Keystone's v3 API rather than tempauth. */
        public boolean keystone() {
            return authUrl.replaceAll("/+$", "").endsWith("/v3");
        }
    }

    /** Backends Berth can store objects in. */
    public enum StorageDriver { FILESYSTEM, S3, SWIFT, MEMORY }

    /** Size limits. */
    public record Limits(long manifestSize) {}

    /** Validation policies. */
    public record Validation(SparseIndexPolicy sparseIndex) {}

    /** Whether an index may name child manifests that are absent from the repository. */
    public enum SparseIndexPolicy { REJECT, ALLOW }

    /** Whether DELETE requests are served. */
    public record Delete(boolean enabled) {}

    /**
     * How old content goes away.
     *
     * @param gc garbage collection
     * @param uploads expiry of unfinished uploads
     * @param tags expiry of tags by age
     * @param retention per-repository rules, applied in order; a tag kept by one rule is never expired by another
     */
    public record Lifecycle(Gc gc, Uploads uploads, Tags tags, List<RetentionRule> retention) {
        public Lifecycle {
            retention = List.copyOf(retention);
        }

        /** This section with other GC settings. */
        public Lifecycle withGc(Gc newGc) {
            return new Lifecycle(newGc, uploads, tags, retention);
        }

        /** This section with other upload expiry. */
        public Lifecycle withUploads(Uploads newUploads) {
            return new Lifecycle(gc, newUploads, tags, retention);
        }

        /** This section with other tag expiry. */
        public Lifecycle withTags(Tags newTags) {
            return new Lifecycle(gc, uploads, newTags, retention);
        }

        /** This section with other retention rules. */
        public Lifecycle withRetention(List<RetentionRule> newRetention) {
            return new Lifecycle(gc, uploads, tags, newRetention);
        }
    }

    /**
     * Garbage collection.
     *
     * @param schedule the interval between scheduled runs inside {@code berth serve}; empty: no scheduled runs
     * @param grace content younger than this is never swept, which covers pushes in flight
     * @param deleteUntagged whether manifests no tag reaches are collected (when false they are marked)
     */
    public record Gc(Optional<Duration> schedule, Duration grace, boolean deleteUntagged) {}

    /** @param expireAfter an upload untouched for this long is removed with its chunks */
    public record Uploads(Duration expireAfter) {}

    /** @param expireAfter a tag not pushed for this long is removed; empty: tags never expire by age */
    public record Tags(Optional<Duration> expireAfter) {}

    /**
     * A retention rule for the repositories a glob matches ({@code *} within a path component, {@code **} across).
     *
     * @param repositories the glob
     * @param keepLast keep the most recently pushed N tags; empty: no such rule
     * @param keepMatching keep tags matching this regular expression; empty: no such rule
     * @param deleteUntaggedAfter delete manifests untagged for this long; empty: no such rule
     */
    public record RetentionRule(String repositories, OptionalInt keepLast, Optional<String> keepMatching,
            Optional<Duration> deleteUntaggedAfter) {}

    /**
     * Hashing blob reads as they stream, so a corrupt blob is never served whole.
     *
     * @param policy always, sample (the first read after a write, then a share {@code rate} of reads), or off
     * @param rate the share of later reads hashed under {@code sample}, from 0 to 1
     */
    public record VerifyOnRead(VerifyPolicy policy, double rate) {}

    /** When blob reads are verified. */
    public enum VerifyPolicy { ALWAYS, SAMPLE, OFF }

    /**
     * Access control: who may call, and what each caller may do on which repository. Present when the
     * configuration has an {@code auth} section, even an empty one; then everything not granted is denied.
     *
     * @param htpasswd the users and their bcrypt password hashes, re-read when it changes; empty: no users
     * @param anonymousPull whether callers without credentials (and so every caller) may pull every repository
     * @param token the bearer-token service's settings
     * @param groups group name to the user names in it
     * @param rules the grants; a caller may do the union of what every matching rule grants
     * @param loginLimit how many failed logins a client address may make before it must wait
     */
    public record Auth(Optional<Path> htpasswd, boolean anonymousPull, Token token,
            Map<String, List<String>> groups, List<AccessRule> rules, LoginLimit loginLimit) {
        public Auth {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            groups.forEach((name, users) -> copy.put(name, List.copyOf(users)));
            groups = Collections.unmodifiableMap(copy);
            rules = List.copyOf(rules);
        }

        /** A section with the default limit on failed logins. */
        public Auth(Optional<Path> htpasswd, boolean anonymousPull, Token token, Map<String, List<String>> groups,
                List<AccessRule> rules) {
            this(htpasswd, anonymousPull, token, groups, rules, LoginLimit.defaults());
        }

        /** No users, no anonymous pull, no rules: everything is denied. */
        public static Auth defaults() {
            return new Auth(Optional.empty(), false, Token.defaults(), Map.of(), List.of());
        }

        /** This section with another htpasswd file. */
        public Auth withHtpasswd(Optional<Path> newHtpasswd) {
            return new Auth(newHtpasswd, anonymousPull, token, groups, rules, loginLimit);
        }

        /** This section with anonymous pull switched. */
        public Auth withAnonymousPull(boolean newAnonymousPull) {
            return new Auth(htpasswd, newAnonymousPull, token, groups, rules, loginLimit);
        }

        /** This section with other token settings. */
        public Auth withToken(Token newToken) {
            return new Auth(htpasswd, anonymousPull, newToken, groups, rules, loginLimit);
        }

        /** This section with other groups. */
        public Auth withGroups(Map<String, List<String>> newGroups) {
            return new Auth(htpasswd, anonymousPull, token, newGroups, rules, loginLimit);
        }

        /** This section with other rules. */
        public Auth withRules(List<AccessRule> newRules) {
            return new Auth(htpasswd, anonymousPull, token, groups, newRules, loginLimit);
        }

        /** This section with another limit on failed logins. */
        public Auth withLoginLimit(LoginLimit newLoginLimit) {
            return new Auth(htpasswd, anonymousPull, token, groups, rules, newLoginLimit);
        }
    }

    /**
     * How many failed logins a client address may make within a window before its logins are refused with 429
     * until the window lets it try again.
     *
     * @param failures failed logins allowed within {@code window}
     * @param window the sliding window they are counted in
     */
    public record LoginLimit(int failures, Duration window) {
        /** Ten failures a minute. */
        public static LoginLimit defaults() {
            return new LoginLimit(10, Duration.ofMinutes(1));
        }
    }

    /**
     * The bearer-token service (the Docker/OCI token flow): Berth issues tokens at {@code /token} and accepts
     * them, or, with {@code jwks} set, accepts tokens of an external issuer whose keys that URL serves.
     *
     * @param enabled whether tokens are issued and accepted
     * @param issuer the {@code iss} of the tokens Berth issues; with {@code jwks}, the issuer it trusts
     * @param expiry how long a token is valid
     * @param service the audience ({@code aud}) tokens must name, and the {@code service} of the challenge
     * @param realm the token endpoint the challenge sends clients to; empty: {@code /token} of the public URL
     *     (or of the URL each request reached)
     * @param key a PEM private key (EC P-256 or Ed25519) to sign with; empty: one generated and kept in the store
     * @param algorithm the algorithm of a generated key
     * @param jwks the JWKS URL of an external issuer; empty: Berth issues its own tokens
     */
    public record Token(boolean enabled, String issuer, Duration expiry, String service, String realm,
            Optional<Path> key, TokenAlgorithm algorithm, String jwks) {
        /** Token settings with the defaults for everything but these three. */
        public Token(boolean enabled, String issuer, Duration expiry) {
            this(enabled, issuer, expiry, "berth", "", Optional.empty(), TokenAlgorithm.ES256, "");
        }

        /** Off, issuer {@code berth}, 5 minutes, service {@code berth}, a generated ES256 key. */
        public static Token defaults() {
            return new Token(false, "berth", Duration.ofMinutes(5));
        }

        /** These settings switched on or off. */
        public Token withEnabled(boolean newEnabled) {
            return new Token(newEnabled, issuer, expiry, service, realm, key, algorithm, jwks);
        }

        /** These settings with another issuer. */
        public Token withIssuer(String newIssuer) {
            return new Token(enabled, newIssuer, expiry, service, realm, key, algorithm, jwks);
        }

        /** These settings with another expiry. */
        public Token withExpiry(Duration newExpiry) {
            return new Token(enabled, issuer, newExpiry, service, realm, key, algorithm, jwks);
        }

        /** These settings with another service name. */
        public Token withService(String newService) {
            return new Token(enabled, issuer, expiry, newService, realm, key, algorithm, jwks);
        }

        /** These settings with another realm ({@code ""}: derived). */
        public Token withRealm(String newRealm) {
            return new Token(enabled, issuer, expiry, service, newRealm, key, algorithm, jwks);
        }

        /** These settings with a configured signing key (empty: generated). */
        public Token withKey(Optional<Path> newKey) {
            return new Token(enabled, issuer, expiry, service, realm, newKey, algorithm, jwks);
        }

        /** These settings with another algorithm for a generated key. */
        public Token withAlgorithm(TokenAlgorithm newAlgorithm) {
            return new Token(enabled, issuer, expiry, service, realm, key, newAlgorithm, jwks);
        }

        /** These settings trusting an external issuer's JWKS ({@code ""}: issue tokens here). */
        public Token withJwks(String newJwks) {
            return new Token(enabled, issuer, expiry, service, realm, key, algorithm, newJwks);
        }
    }

    /** The JWS algorithms Berth signs tokens with: ECDSA on P-256 with SHA-256, or Ed25519. */
    public enum TokenAlgorithm {
        ES256("ES256"), EDDSA("EdDSA");

        private final String jwsName;

        TokenAlgorithm(String jwsName) {
            this.jwsName = jwsName;
        }

        /** The name of the JWS {@code alg} header: {@code ES256} or {@code EdDSA}. */
        public String jwsName() {
            return jwsName;
        }
    }

    /**
     * One grant: the actions that the named users and groups may do on the repositories a glob matches, in one
     * namespace or in all of them.
     *
     * @param repositories the glob ({@code *} within a path component, {@code **} across), matched against the
     *     repository's name inside its namespace (without a namespace's prefix)
     * @param users user names; {@code anonymous} stands for callers without credentials
     * @param groups group names from {@link Auth#groups()}
     * @param actions lower-case actions: {@code pull}, {@code push}, {@code delete}, {@code admin}
     * @param namespace the namespace the rule applies in: {@value #DEFAULT_NAMESPACE} (a rule that names none),
     *     a configured namespace's name, or {@value #EVERY_NAMESPACE} for all of them
     */
    public record AccessRule(String repositories, List<String> users, List<String> groups, List<String> actions,
            String namespace) {
        /** The namespace of a rule that names none. */
        public static final String DEFAULT_NAMESPACE = "default";
        /** The namespace value of a rule that applies in every namespace. */
        public static final String EVERY_NAMESPACE = "*";

        public AccessRule {
            users = List.copyOf(users);
            groups = List.copyOf(groups);
            actions = List.copyOf(actions);
        }

        /** A rule of the default namespace. */
        public AccessRule(String repositories, List<String> users, List<String> groups, List<String> actions) {
            this(repositories, users, groups, actions, DEFAULT_NAMESPACE);
        }
    }

    /**
     * The TLS listener.
     *
     * @param cert the PEM certificate chain
     * @param key the PEM private key
     * @param clientCa the PEM CA certificates that client certificates are checked against; empty: no mTLS
     */
    public record Tls(Optional<Path> cert, Optional<Path> key, Optional<Path> clientCa) {
        /** Nothing configured. */
        public static Tls defaults() {
            return new Tls(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }


    /**
     * Webhooks: the endpoints that registry events (push, pull, mount, delete) are posted to, in the envelope of
     * Distribution's notifications.
     *
     * @param endpoints each with its own queue, retries and filters; empty: no events are sent
     */
    public record Notifications(List<NotificationEndpoint> endpoints) {
        public Notifications {
            endpoints = List.copyOf(endpoints);
        }

        /** No endpoints. */
        public static Notifications none() {
            return new Notifications(List.of());
        }
    }

    /**
     * One webhook endpoint, in the shape of Distribution's {@code notifications.endpoints} entries plus Berth's
     * filters, queue size and backoff cap.
     *
     * @param name names the endpoint in logs; unique
     * @param url where envelopes are POSTed (http or https)
     * @param headers extra request headers, each with one or more values (such as {@code Authorization})
     * @param timeout how long one delivery may take before it counts as failed
     * @param threshold failures in a row that are retried at once before deliveries back off
     * @param backoff the first wait once backing off; it doubles with each further failure
     * @param maxBackoff the longest wait between two attempts
     * @param queueSize events waiting for delivery beyond this are dropped, never blocking a request
     * @param repositories globs of the repositories whose events are sent; empty: every repository
     * @param actions the actions sent ({@code pull}, {@code push}, {@code mount}, {@code delete}); empty: all
     * @param ignoredMediaTypes events whose target has one of these media types are not sent
     * @param ignoredActions events with one of these actions are not sent
     * @param disabled true: configured but sends nothing
     */
    public record NotificationEndpoint(String name, String url, Map<String, List<String>> headers,
            Duration timeout, int threshold, Duration backoff, Duration maxBackoff, int queueSize,
            List<String> repositories, List<String> actions, List<String> ignoredMediaTypes,
            List<String> ignoredActions, boolean disabled) {
        public NotificationEndpoint {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            headers.forEach((header, values) -> copy.put(header, List.copyOf(values)));
            headers = Collections.unmodifiableMap(copy);
            repositories = List.copyOf(repositories);
            actions = List.copyOf(actions);
            ignoredMediaTypes = List.copyOf(ignoredMediaTypes);
            ignoredActions = List.copyOf(ignoredActions);
        }

        /** An endpoint at {@code url} with the defaults for everything else and no filters. */
        public static NotificationEndpoint to(String name, String url) {
            return new NotificationEndpoint(name, url, Map.of(), Duration.ofSeconds(5), 3, Duration.ofSeconds(1),
                    Duration.ofMinutes(1), 1000, List.of(), List.of(), List.of(), List.of(), false);
        }

        /** This endpoint with other retry timing. */
        public NotificationEndpoint withRetries(int newThreshold, Duration newBackoff, Duration newMaxBackoff) {
            return new NotificationEndpoint(name, url, headers, timeout, newThreshold, newBackoff, newMaxBackoff,
                    queueSize, repositories, actions, ignoredMediaTypes, ignoredActions, disabled);
        }

        /** This endpoint with another queue size. */
        public NotificationEndpoint withQueueSize(int newQueueSize) {
            return new NotificationEndpoint(name, url, headers, timeout, threshold, backoff, maxBackoff,
                    newQueueSize, repositories, actions, ignoredMediaTypes, ignoredActions, disabled);
        }

        /** This endpoint sending only the events of these repositories and actions (empty lists: all). */
        public NotificationEndpoint withFilters(List<String> newRepositories, List<String> newActions) {
            return new NotificationEndpoint(name, url, headers, timeout, threshold, backoff, maxBackoff, queueSize,
                    newRepositories, newActions, ignoredMediaTypes, ignoredActions, disabled);
        }

        /** This endpoint ignoring these media types and actions. */
        public NotificationEndpoint withIgnored(List<String> mediaTypes, List<String> newIgnoredActions) {
            return new NotificationEndpoint(name, url, headers, timeout, threshold, backoff, maxBackoff, queueSize,
                    repositories, actions, mediaTypes, newIgnoredActions, disabled);
        }

        /** This endpoint switched off ({@code true}) or on. */
        public NotificationEndpoint withDisabled(boolean newDisabled) {
            return new NotificationEndpoint(name, url, headers, timeout, threshold, backoff, maxBackoff, queueSize,
                    repositories, actions, ignoredMediaTypes, ignoredActions, newDisabled);
        }

        /** This endpoint sending these extra headers. */
        public NotificationEndpoint withHeaders(Map<String, List<String>> newHeaders) {
            return new NotificationEndpoint(name, url, newHeaders, timeout, threshold, backoff, maxBackoff,
                    queueSize, repositories, actions, ignoredMediaTypes, ignoredActions, disabled);
        }
    }

    /**
     * How Berth stops on SIGTERM.
     *
     * @param timeout how long requests in flight may take to finish, and queued events to be delivered, before
     *     Berth exits anyway
     */
    public record Shutdown(Duration timeout) {}

    /**
     * The operational endpoints: {@code /metrics}, {@code /healthz} and {@code /readyz}.
     *
     * @param listen a separate {@code HOST:PORT} that alone serves them; empty: the main listener serves them
     * @param metrics whether requests, storage, uploads and collections are measured and {@code /metrics} served
     * @param readinessTimeout how long {@code /readyz} waits for the store before it answers 503
     * @param readinessCache how long a readiness answer is reused, so frequent probes cost the store little;
     *     zero: every probe asks the store
     */
    public record Admin(Optional<String> listen, boolean metrics, Duration readinessTimeout,
            Duration readinessCache) {
        /** Served on the main listener, metrics on, a 2 s timeout and a 1 s cache. */
        public static Admin defaults() {
            return new Admin(Optional.empty(), true, Duration.ofSeconds(2), Duration.ofSeconds(1));
        }

        /** This section with another listener ({@code Optional.empty()}: the main one). */
        public Admin withListen(Optional<String> newListen) {
            return new Admin(newListen, metrics, readinessTimeout, readinessCache);
        }

        /** This section with metrics switched. */
        public Admin withMetrics(boolean newMetrics) {
            return new Admin(listen, newMetrics, readinessTimeout, readinessCache);
        }

        /** This section with another readiness timeout. */
        public Admin withReadinessTimeout(Duration newTimeout) {
            return new Admin(listen, metrics, newTimeout, readinessCache);
        }

        /** This section with another readiness cache time. */
        public Admin withReadinessCache(Duration newCache) {
            return new Admin(listen, metrics, readinessTimeout, newCache);
        }
    }

    /**
     * Logging.
     *
     * @param format how each request line is written: {@code key=value} text or one JSON object
     * @param access whether one line is logged per request (to the logger {@code berth.access})
     * @param level the level of Berth's own loggers; {@code debug} also logs each upload chunk's checks
     */
    public record Log(LogFormat format, boolean access, LogLevel level) {
        /** Text request lines, on, at info. */
        public static Log defaults() {
            return new Log(LogFormat.TEXT, true, LogLevel.INFO);
        }

        /** These settings with another format. */
        public Log withFormat(LogFormat newFormat) {
            return new Log(newFormat, access, level);
        }

        /** These settings with the request log switched. */
        public Log withAccess(boolean newAccess) {
            return new Log(format, newAccess, level);
        }

        /** These settings with another level. */
        public Log withLevel(LogLevel newLevel) {
            return new Log(format, access, newLevel);
        }
    }

    /** How a request line is written. */
    public enum LogFormat { TEXT, JSON }

    /** The level of Berth's own loggers. */
    public enum LogLevel { ERROR, WARN, INFO, DEBUG }

    /** The defaults: filesystem storage in {@code ./data}, served on {@code localhost:5000}, one namespace. */
    public static BerthConfig defaults() {
        return new BerthConfig("localhost:5000", "",
                new Storage(StorageDriver.FILESYSTEM, new Filesystem(Path.of("./data"))),
                new Limits(4L * 1024 * 1024),
                new Validation(SparseIndexPolicy.REJECT),
                new Delete(true),
                new Lifecycle(new Gc(Optional.empty(), Duration.ofHours(1), false),
                        new Uploads(Duration.ofHours(24)), new Tags(Optional.empty()), List.of()),
                new VerifyOnRead(VerifyPolicy.SAMPLE, 0.01),
                Optional.empty(), Optional.empty(), List.of(), Notifications.none(), new Shutdown(Duration.ofSeconds(30)),
                Admin.defaults(), Log.defaults());
    }

    /** This configuration with another listen address. */
    public BerthConfig withListen(String address) {
        return new BerthConfig(address, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with another public URL ({@code ""}: taken from each request). */
    public BerthConfig withPublicUrl(String url) {
        return new BerthConfig(listen, url, storage, limits, validation, delete, lifecycle, verifyOnRead, auth, tls,
                namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with another storage section. */
    public BerthConfig withStorage(Storage newStorage) {
        return new BerthConfig(listen, publicUrl, newStorage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with another validation section. */
    public BerthConfig withValidation(Validation newValidation) {
        return new BerthConfig(listen, publicUrl, storage, limits, newValidation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with another delete section. */
    public BerthConfig withDelete(Delete newDelete) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, newDelete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with other limits. */
    public BerthConfig withLimits(Limits newLimits) {
        return new BerthConfig(listen, publicUrl, storage, newLimits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with another lifecycle section. */
    public BerthConfig withLifecycle(Lifecycle newLifecycle) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, newLifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with access control ({@code Optional.empty()}: off). */
    public BerthConfig withAuth(Optional<Auth> newAuth) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                newAuth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with a TLS section ({@code Optional.empty()}: plain HTTP). */
    public BerthConfig withTls(Optional<Tls> newTls) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, newTls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with another verify-on-read section. */
    public BerthConfig withVerifyOnRead(VerifyOnRead newVerifyOnRead) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, newVerifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with other namespaces besides the default. */
    public BerthConfig withNamespaces(List<NamespaceSpec> newNamespaces) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, newNamespaces, notifications, shutdown, admin, log);
    }

    /** This configuration with other notification endpoints. */
    public BerthConfig withNotifications(Notifications newNotifications) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, newNotifications, shutdown, admin, log);
    }

    /** This configuration with another shutdown section. */
    public BerthConfig withShutdown(Shutdown newShutdown) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, newShutdown, admin, log);
    }

    /** This configuration with other admin endpoints. */
    public BerthConfig withAdmin(Admin newAdmin) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, newAdmin, log);
    }

    /** This configuration with other log settings. */
    public BerthConfig withLog(Log newLog) {
        return new BerthConfig(listen, publicUrl, storage, limits, validation, delete, lifecycle, verifyOnRead,
                auth, tls, namespaces, notifications, shutdown, admin, newLog);
    }
}
