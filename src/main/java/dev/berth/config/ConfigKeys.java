package dev.berth.config;

import dev.berth.config.BerthConfig.Admin;
import dev.berth.config.BerthConfig.Auth;
import dev.berth.config.BerthConfig.Delete;
import dev.berth.config.BerthConfig.Filesystem;
import dev.berth.config.BerthConfig.Gc;
import dev.berth.config.BerthConfig.Lifecycle;
import dev.berth.config.BerthConfig.Limits;
import dev.berth.config.BerthConfig.Notifications;
import dev.berth.config.BerthConfig.Shutdown;
import dev.berth.config.BerthConfig.Log;
import dev.berth.config.BerthConfig.LogFormat;
import dev.berth.config.BerthConfig.LogLevel;
import dev.berth.config.BerthConfig.Tags;
import dev.berth.config.BerthConfig.Tls;
import dev.berth.config.BerthConfig.LoginLimit;
import dev.berth.config.BerthConfig.TokenAlgorithm;
import dev.berth.config.BerthConfig.Uploads;
import dev.berth.config.BerthConfig.VerifyOnRead;
import dev.berth.config.BerthConfig.VerifyPolicy;
import dev.berth.config.BerthConfig.S3;
import dev.berth.config.BerthConfig.Swift;
import dev.berth.config.BerthConfig.SparseIndexPolicy;
import dev.berth.config.BerthConfig.StorageDriver;
import dev.berth.config.BerthConfig.Validation;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The table of every configuration key Berth knows: the one place a new key is added.
 * File, environment and flags are all checked against it, and help output is generated from it.
 */
public final class ConfigKeys {

    /** Every key, in the order help lists them. */
    public static final List<ConfigKey> ALL = List.of(
            new ConfigKey("listen",
                    "HOST:PORT to listen on; 0.0.0.0:5000 for every interface, port 0 for any free port",
                    "0.0.0.0:5000",
                    (c, v) -> c.withListen(hostPort(v)), BerthConfig::listen),
            new ConfigKey("public-url",
                    "base URL clients reach Berth on, for Location headers and the token realm;"
                            + " \"\" takes it from each request",
                    "https://registry.example.com",
                    (c, v) -> c.withPublicUrl(publicUrl(v)), BerthConfig::publicUrl),
            new ConfigKey("storage.driver",
                    "where objects are kept: filesystem | s3 | swift | memory (memory is lost on exit)",
                    "s3",
                    (c, v) -> c.withStorage(c.storage().withDriver(oneOf(v, StorageDriver.class))),
                    c -> enumText(c.storage().driver())),
            new ConfigKey("storage.filesystem.root",
                    "directory of the filesystem driver; a relative path is relative to the working directory",
                    "/srv/berth",
                    (c, v) -> c.withStorage(c.storage().withFilesystem(new Filesystem(path(v)))),
                    c -> c.storage().filesystem().root().toString()),
            withUrlUserInfoSecret(s3Key("endpoint",
                    "S3 service URL, e.g. http://127.0.0.1:9000; empty: AWS's endpoint for the region",
                    "http://127.0.0.1:9000",
                    (s3, v) -> new S3(url(v), s3.region(), s3.bucket(), s3.prefix(), s3.accessKey(), s3.secretKey(),
                            s3.pathStyle()), S3::endpoint)),
            s3Key("region", "S3 signing region, e.g. us-east-1", "eu-west-1",
                    (s3, v) -> new S3(s3.endpoint(), required(v), s3.bucket(), s3.prefix(), s3.accessKey(),
                            s3.secretKey(), s3.pathStyle()), S3::region),
            s3Key("bucket", "S3 bucket holding the objects", "registry",
                    (s3, v) -> new S3(s3.endpoint(), s3.region(), required(v), s3.prefix(), s3.accessKey(),
                            s3.secretKey(), s3.pathStyle()), S3::bucket),
            s3Key("prefix", "key prefix inside the bucket, e.g. registry/; empty for none", "berth/",
                    (s3, v) -> new S3(s3.endpoint(), s3.region(), s3.bucket(), keyPrefix(v), s3.accessKey(),
                            s3.secretKey(), s3.pathStyle()), S3::prefix),
            s3Key("access-key", "S3 access key id; empty: the AWS SDK's default credential chain", "berth-writer",
                    (s3, v) -> new S3(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(), v, s3.secretKey(),
                            s3.pathStyle()), S3::accessKey),
            s3Key("secret-key", "S3 secret access key", "example-secret-key",
                    (s3, v) -> new S3(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(), s3.accessKey(), v,
                            s3.pathStyle()), S3::secretKey).asSecret(),
            s3Key("path-style", "address the bucket in the path (MinIO, Swift, s3proxy): true | false", "true",
                    (s3, v) -> new S3(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(), s3.accessKey(),
                            s3.secretKey(), bool(v)), s3 -> Boolean.toString(s3.pathStyle())),
            withUrlUserInfoSecret(swiftKey("auth-url",
                    "Swift auth URL: .../auth/v1.0 for tempauth, .../v3 for Keystone",
                    "https://keystone.example.com/v3",
                    (w, v) -> new Swift(url(v), w.user(), w.key(), w.password(), w.project(), w.domain(),
                            w.region(), w.container()), Swift::authUrl)),
            swiftKey("user", "Swift user (account:user for tempauth)", "berth",
                    (w, v) -> new Swift(w.authUrl(), v, w.key(), w.password(), w.project(), w.domain(),
                            w.region(), w.container()), Swift::user),
            swiftKey("key", "tempauth key", "example-tempauth-key",
                    (w, v) -> new Swift(w.authUrl(), w.user(), v, w.password(), w.project(), w.domain(),
                            w.region(), w.container()), Swift::key).asSecret(),
            swiftKey("password", "Keystone password", "example-keystone-password",
                    (w, v) -> new Swift(w.authUrl(), w.user(), w.key(), v, w.project(), w.domain(),
                            w.region(), w.container()), Swift::password).asSecret(),
            swiftKey("project", "Keystone project the token is scoped to", "registry",
                    (w, v) -> new Swift(w.authUrl(), w.user(), w.key(), w.password(), v, w.domain(),
                            w.region(), w.container()), Swift::project),
            swiftKey("domain", "Keystone domain of the user and project", "Example",
                    (w, v) -> new Swift(w.authUrl(), w.user(), w.key(), w.password(), w.project(), required(v),
                            w.region(), w.container()), Swift::domain),
            swiftKey("region", "Keystone region whose object-store endpoint is used; empty: the first", "RegionOne",
                    (w, v) -> new Swift(w.authUrl(), w.user(), w.key(), w.password(), w.project(), w.domain(),
                            v, w.container()), Swift::region),
            swiftKey("container", "Swift container holding the objects, created when missing", "registry",
                    (w, v) -> new Swift(w.authUrl(), w.user(), w.key(), w.password(), w.project(), w.domain(),
                            w.region(), required(v)), Swift::container),
            new ConfigKey("limits.manifest-size",
                    "largest manifest accepted: bytes, or with a unit B, KiB, MiB, GiB, TiB (e.g. 4MiB)",
                    "8MiB",
                    (c, v) -> c.withLimits(new Limits(positiveSize(v))), c -> Sizes.format(c.limits().manifestSize())),
            new ConfigKey("validation.sparse-index",
                    "an index naming manifests the repository lacks: reject | allow",
                    "allow",
                    (c, v) -> c.withValidation(new Validation(oneOf(v, SparseIndexPolicy.class))),
                    c -> enumText(c.validation().sparseIndex())),
            new ConfigKey("delete.enabled",
                    "whether DELETE requests are served: true | false",
                    "false",
                    (c, v) -> c.withDelete(new Delete(bool(v))), c -> Boolean.toString(c.delete().enabled())),
            lifecycleKey("gc.schedule", "interval of garbage collection inside berth serve, e.g. 6h; off for none",
                    "6h",
                    (l, v) -> l.withGc(new Gc(Durations.parseOrOff(v), l.gc().grace(), l.gc().deleteUntagged())),
                    l -> Durations.formatOrOff(l.gc().schedule())),
            lifecycleKey("gc.grace", "content younger than this is never collected, covering pushes in flight",
                    "2h",
                    (l, v) -> l.withGc(new Gc(l.gc().schedule(), Durations.parse(v), l.gc().deleteUntagged())),
                    l -> Durations.format(l.gc().grace())),
            lifecycleKey("gc.delete-untagged", "collect manifests that no tag reaches: true | false",
                    "true",
                    (l, v) -> l.withGc(new Gc(l.gc().schedule(), l.gc().grace(), bool(v))),
                    l -> Boolean.toString(l.gc().deleteUntagged())),
            lifecycleKey("uploads.expire-after", "unfinished uploads untouched this long are removed, e.g. 24h",
                    "12h",
                    (l, v) -> l.withUploads(new Uploads(Durations.parse(v))),
                    l -> Durations.format(l.uploads().expireAfter())),
            lifecycleKey("tags.expire-after", "tags not pushed for this long are removed, e.g. 90d; off: never",
                    "90d",
                    (l, v) -> l.withTags(new Tags(Durations.parseOrOff(v))),
                    l -> Durations.formatOrOff(l.tags().expireAfter())),
            lifecycleKey("retention", "a list of rules {repositories: GLOB, keep-last: N, keep-matching: REGEX,"
                    + " delete-untagged-after: DURATION}",
                    "[{repositories: \"ci/**\", keep-last: 10, keep-matching: \"^v[0-9]\", delete-untagged-after: 7d}]",
                    (l, v) -> l.withRetention(RetentionRules.parse(v)), l -> RetentionRules.render(l.retention())),
            new ConfigKey("verify-on-read.policy",
                    "check blob reads as they stream: always (hash every one) | sample (the first against the"
                            + " CRC32C kept with the bytes, then a hashed share) | off",
                    "always",
                    (c, v) -> c.withVerifyOnRead(new VerifyOnRead(oneOf(v, VerifyPolicy.class),
                            c.verifyOnRead().rate())), c -> enumText(c.verifyOnRead().policy())),
            new ConfigKey("verify-on-read.rate",
                    "share of later reads hashed under the sample policy, from 0 to 1, e.g. 0.01",
                    "0.05",
                    (c, v) -> c.withVerifyOnRead(new VerifyOnRead(c.verifyOnRead().policy(), fraction(v))),
                    c -> BigDecimal.valueOf(c.verifyOnRead().rate()).stripTrailingZeros().toPlainString()),
            authKey("htpasswd", "htpasswd file of users with bcrypt hashes (htpasswd -B, berth user add),"
                    + " re-read when it changes; empty: no users", "/etc/berth/users.htpasswd",
                    (a, v) -> a.withHtpasswd(optionalPath(v)), a -> pathText(a.htpasswd())),
            authKey("anonymous-pull", "callers without credentials may pull every repository: true | false",
                    "true",
                    (a, v) -> a.withAnonymousPull(bool(v)), a -> Boolean.toString(a.anonymousPull())),
            authKey("token.enabled", "issue bearer tokens at /token and accept them (the Docker token flow);"
                    + " Basic stays accepted: true | false", "true",
                    (a, v) -> a.withToken(a.token().withEnabled(bool(v))),
                    a -> Boolean.toString(a.token().enabled())),
            authKey("token.issuer", "the iss claim of the tokens Berth issues, e.g. berth; with token.jwks, the"
                    + " issuer whose tokens are trusted", "registry.example.com",
                    (a, v) -> a.withToken(a.token().withIssuer(required(v))), a -> a.token().issuer()),
            authKey("token.expiry", "how long a token is valid, e.g. 5m (clients assume at least 60s)",
                    "15m",
                    (a, v) -> a.withToken(a.token().withExpiry(positive(v))),
                    a -> Durations.format(a.token().expiry())),
            authKey("token.service", "the service of the challenge and the aud a token must name, e.g."
                    + " registry.example.com", "registry.example.com",
                    (a, v) -> a.withToken(a.token().withService(required(v))), a -> a.token().service()),
            withUrlUserInfoSecret(authKey("token.realm", "the token endpoint the challenge names; empty: public-url"
                    + " (or the URL a request reached) + /token", "https://registry.example.com/token",
                    (a, v) -> a.withToken(a.token().withRealm(url(v))), a -> a.token().realm())),
            authKey("token.key", "PEM private key (EC P-256 or Ed25519) tokens are signed with; empty: one generated"
                    + " on first start and kept in the store", "/etc/berth/token.key",
                    (a, v) -> a.withToken(a.token().withKey(optionalPath(v))), a -> pathText(a.token().key())),
            authKey("token.algorithm", "algorithm of a generated signing key: ES256 | EdDSA", "EdDSA",
                    (a, v) -> a.withToken(a.token().withAlgorithm(tokenAlgorithm(v))),
                    a -> a.token().algorithm().jwsName()),
            withUrlUserInfoSecret(authKey("token.jwks", "JWKS URL of an external token issuer to trust instead of"
                    + " issuing tokens here (needs token.realm); empty: Berth issues its own",
                    "https://auth.example.com/.well-known/jwks.json",
                    (a, v) -> a.withToken(a.token().withJwks(url(v))), a -> a.token().jwks())),
            authKey("groups", "a map of group names to user lists, e.g. {admins: [carol, dave]}",
                    "{admins: [carol, dave]}",
                    (a, v) -> a.withGroups(AuthRules.parseGroups(v)), a -> AuthRules.renderGroups(a.groups())),
            authKey("rules", "a list of grants {repositories: GLOB, users: [NAME], groups: [GROUP],"
                    + " actions: [pull, push, delete, admin]}; what every matching rule grants is allowed,"
                    + " everything else denied; the user anonymous stands for callers without credentials",
                    "[{repositories: \"team-a/**\", users: [alice], groups: [admins], actions: [pull, push, delete]}]",
                    (a, v) -> a.withRules(AuthRules.parseRules(v)), a -> AuthRules.renderRules(a.rules())),
            authKey("login-limit.failures", "failed logins a client address may make within login-limit.window"
                    + " before it gets 429 until the window allows again, e.g. 10", "5",
                    (a, v) -> a.withLoginLimit(new LoginLimit(positiveInt(v), a.loginLimit().window())),
                    a -> Integer.toString(a.loginLimit().failures())),
            authKey("login-limit.window", "the window failed logins are counted in, e.g. 1m", "5m",
                    (a, v) -> a.withLoginLimit(new LoginLimit(a.loginLimit().failures(), positive(v))),
                    a -> Durations.format(a.loginLimit().window())),
            new ConfigKey("notifications.endpoints",
                    "a list of webhook endpoints {name: NAME, url: URL, headers: {NAME: [VALUE]}, timeout: 5s,"
                            + " threshold: 3, backoff: 1s, max-backoff: 1m, queue-size: 1000, repositories: [GLOB],"
                            + " actions: [pull, push, mount, delete], ignoredmediatypes: [TYPE],"
                            + " ignore: {mediatypes: [TYPE], actions: [ACTION]}, disabled: false}"
                            + " that registry events are posted to, as Distribution's notifications;"
                            + " see docs/events.md",
                    "[{name: audit, url: \"https://hooks.example.com/registry\","
                            + " headers: {Authorization: [Bearer example-token]}, actions: [push, delete]}]",
                    (c, v) -> c.withNotifications(new Notifications(NotificationEndpoints.parse(v))),
                    c -> NotificationEndpoints.render(c.notifications().endpoints(), false))
                    .withSecretParts(c -> NotificationEndpoints.render(c.notifications().endpoints(), true)),
            new ConfigKey("shutdown.timeout",
                    "on SIGTERM, how long requests in flight may take to finish and queued events to be"
                            + " delivered before Berth exits anyway, e.g. 30s",
                    "2m",
                    (c, v) -> c.withShutdown(new Shutdown(positive(v))), c -> Durations.format(c.shutdown().timeout())),
            tlsKey("cert", "PEM certificate chain of the TLS listener, the server's certificate first;"
                    + " re-read when it changes", "/etc/berth/tls.crt",
                    (t, v) -> new Tls(optionalPath(v), t.key(), t.clientCa()), t -> pathText(t.cert())),
            tlsKey("key", "PEM private key of tls.cert, unencrypted: PKCS#8 (BEGIN PRIVATE KEY), EC or RSA;"
                    + " re-read when it changes", "/etc/berth/tls.key",
                    (t, v) -> new Tls(t.cert(), optionalPath(v), t.clientCa()), t -> pathText(t.key())),
            tlsKey("client-ca", "PEM CA certificates for mTLS: a client certificate they sign logs in as the user"
                    + " of its CN; re-read when it changes; empty: no client certificates asked for",
                    "/etc/berth/ca.crt",
                    (t, v) -> new Tls(t.cert(), t.key(), optionalPath(v)), t -> pathText(t.clientCa())),
            new ConfigKey("namespaces", "isolated registries besides the default one, a list of {name: ID,"
                    + " hosts: [HOST], prefix: COMPONENT, public-url: URL}: a request to one of its hosts (any port),"
                    + " or elsewhere a repository name starting with PREFIX/, goes to it; all others to default",
                    "[{name: team-a, hosts: [a.registry.example.com]}, {name: team-b, prefix: team-b}]",
                    (c, v) -> c.withNamespaces(NamespaceList.parse(v)), c -> NamespaceList.render(c.namespaces())),
            adminKey("listen", "HOST:PORT of a separate plain-HTTP listener that alone serves /metrics, /healthz"
                    + " and /readyz (e.g. 127.0.0.1:5001); empty: the main listener serves them", "127.0.0.1:5001",
                    (a, v) -> a.withListen(v.isEmpty() ? Optional.empty() : Optional.of(hostPort(v))),
                    a -> a.listen().orElse("")),
            adminKey("metrics", "measure requests, storage, uploads and collections and serve them at /metrics"
                    + " (Prometheus text format): true | false", "false",
                    (a, v) -> a.withMetrics(bool(v)), a -> Boolean.toString(a.metrics())),
            adminKey("readiness-timeout", "how long /readyz waits for the store to answer before it says 503,"
                    + " e.g. 2s", "5s",
                    (a, v) -> a.withReadinessTimeout(positive(v)), a -> Durations.format(a.readinessTimeout())),
            adminKey("readiness-cache", "how long a /readyz answer is reused so frequent probes cost the store"
                    + " little, e.g. 1s; 0s: every probe asks the store", "0s",
                    (a, v) -> a.withReadinessCache(Durations.parse(v)), a -> Durations.format(a.readinessCache())),
            logKey("format", "how each request line is written: text (key=value pairs) | json (one object per line)",
                    "json",
                    (l, v) -> l.withFormat(oneOf(v, LogFormat.class)), l -> enumText(l.format())),
            logKey("access", "log one line per request to the logger berth.access: true | false", "false",
                    (l, v) -> l.withAccess(bool(v)), l -> Boolean.toString(l.access())),
            logKey("level", "level of Berth's own loggers: error | warn | info | debug (debug also logs each upload"
                    + " chunk's checks with its upload id)", "debug",
                    (l, v) -> l.withLevel(oneOf(v, LogLevel.class)), l -> enumText(l.level())));

    /**
     * Sections whose mere presence in the file means something, even written empty ({@code auth: {}}): binding
     * one switches it on. Setting any key inside them switches them on too. A section has no value of its own (it
     * reads as {@code ""}); whether it is present is told by {@link #isSwitchedOn}.
     */
    public static final List<ConfigKey> SWITCHED_SECTIONS = List.of(
            new ConfigKey("auth", "present (even as auth: {}): access control is on and denies what no rule"
                    + " grants; absent: every caller may do everything", "{}",
                    (c, v) -> c.withAuth(Optional.of(c.auth().orElseGet(Auth::defaults))), c -> ""),
            new ConfigKey("tls", "present: serve HTTPS (TLS 1.2 and 1.3, HTTP/2 or HTTP/1.1) with tls.cert and"
                    + " tls.key; absent: plain HTTP", "{cert: /etc/berth/tls.crt, key: /etc/berth/tls.key}",
                    (c, v) -> c.withTls(Optional.of(c.tls().orElseGet(Tls::defaults))), c -> ""));

    /** Whether the switched section at {@code path} ({@code auth} or {@code tls}) is present in {@code config}. */
    public static boolean isSwitchedOn(String path, BerthConfig config) {
        return switch (path) {
            case "auth" -> config.auth().isPresent();
            case "tls" -> config.tls().isPresent();
            default -> throw new IllegalArgumentException("no switched section " + path);
        };
    }

    /** Keys whose value is a list in the file, written as YAML flow text in the environment. */
    static final Set<String> LIST_KEYS = Set.of("lifecycle.retention", "auth.groups", "auth.rules", "namespaces",
            "notifications.endpoints");

    private static ConfigKey s3Key(String name, String description, String example,
            BiFunction<S3, String, S3> set, Function<S3, String> get) {
        return new ConfigKey("storage.s3." + name, description, example,
                (c, v) -> c.withStorage(c.storage().withS3(set.apply(c.storage().s3(), v))),
                c -> get.apply(c.storage().s3()));
    }

    private static ConfigKey swiftKey(String name, String description, String example,
            BiFunction<Swift, String, Swift> set, Function<Swift, String> get) {
        return new ConfigKey("storage.swift." + name, description, example,
                (c, v) -> c.withStorage(c.storage().withSwift(set.apply(c.storage().swift(), v))),
                c -> get.apply(c.storage().swift()));
    }

    private static ConfigKey lifecycleKey(String name, String description, String example,
            BiFunction<Lifecycle, String, Lifecycle> set, Function<Lifecycle, String> get) {
        return new ConfigKey("lifecycle." + name, description, example,
                (c, v) -> c.withLifecycle(set.apply(c.lifecycle(), v)), c -> get.apply(c.lifecycle()));
    }

    /** A key of the auth section; an absent section reads as its defaults, the values setting a key starts from. */
    private static ConfigKey authKey(String name, String description, String example,
            BiFunction<Auth, String, Auth> set, Function<Auth, String> get) {
        return new ConfigKey("auth." + name, description, example,
                (c, v) -> c.withAuth(Optional.of(set.apply(c.auth().orElseGet(Auth::defaults), v))),
                c -> get.apply(c.auth().orElseGet(Auth::defaults)));
    }

    private static ConfigKey adminKey(String name, String description, String example,
            BiFunction<Admin, String, Admin> set, Function<Admin, String> get) {
        return new ConfigKey("admin." + name, description, example, (c, v) -> c.withAdmin(set.apply(c.admin(), v)),
                c -> get.apply(c.admin()));
    }

    private static ConfigKey logKey(String name, String description, String example,
            BiFunction<Log, String, Log> set, Function<Log, String> get) {
        return new ConfigKey("log." + name, description, example, (c, v) -> c.withLog(set.apply(c.log(), v)),
                c -> get.apply(c.log()));
    }

    /** A key of the tls section; an absent section reads as its defaults, as for {@link #authKey}. */
    private static ConfigKey tlsKey(String name, String description, String example,
            BiFunction<Tls, String, Tls> set, Function<Tls, String> get) {
        return new ConfigKey("tls." + name, description, example,
                (c, v) -> c.withTls(Optional.of(set.apply(c.tls().orElseGet(Tls::defaults), v))),
                c -> get.apply(c.tls().orElseGet(Tls::defaults)));
    }

    /** A URL key: the user info a URL may carry ({@code https://user:password@host}) is a credential. */
    private static ConfigKey withUrlUserInfoSecret(ConfigKey key) {
        return key.withSecretParts(c -> maskUserInfo(key.read(c)));
    }

    /** {@code url} with its user info, if it has any, replaced by {@link ConfigKey#REDACTED}. */
    static String maskUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        return url.substring(0, start) + ConfigKey.REDACTED + url.substring(at);
    }

    /** A path as the file writes it, or empty text for none. */
    private static String pathText(Optional<Path> path) {
        return path.map(Path::toString).orElse("");
    }

    /** An enum constant as configuration writes it: lower case, {@code _} as {@code -}. */
    static String enumText(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code BERTH_} variables the {@code ./berth} launcher reads itself; the loader lets them pass. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("BERTH_JAVA", "BERTH_JAVA_OPTS");

    static {
        // Two keys with one variable name ("a.b-c", "a-b.c") could not both be set from the environment.
        Set<String> envNames = new HashSet<>(LAUNCHER_VARIABLES);
        for (ConfigKey key : ALL) {
            if (!envNames.add(key.envName())) {
                throw new IllegalStateException("two configuration keys share the variable " + key.envName());
            }
        }
    }

    private ConfigKeys() {}

    /** The key at a dotted path, if there is one. */
    public static Optional<ConfigKey> find(String path) {
        return ALL.stream().filter(k -> k.path().equals(path)).findFirst();
    }

    /** The switched section at a dotted path, if there is one. */
    public static Optional<ConfigKey> findSection(String path) {
        return SWITCHED_SECTIONS.stream().filter(k -> k.path().equals(path)).findFirst();
    }

    /** The key an environment variable sets, if any. */
    public static Optional<ConfigKey> findByEnvName(String name) {
        return ALL.stream().filter(k -> k.envName().equals(name)).findFirst();
    }

    /** Whether {@code path} is a section holding keys, such as {@code storage} or {@code storage.filesystem}. */
    public static boolean isSection(String path) {
        return ALL.stream().anyMatch(k -> k.path().startsWith(path + "."));
    }

    /** Every key path and every section path: what a file may name. */
    static List<String> fileNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigKey key : ALL) {
            String[] parts = key.path().split("\\.");
            for (int i = 1; i <= parts.length; i++) {
                names.add(String.join(".", Arrays.copyOf(parts, i)));
            }
        }
        return List.copyOf(names);
    }

    /** Every variable name the loader accepts. */
    static List<String> envNames() {
        List<String> names = new ArrayList<>(ALL.stream().map(ConfigKey::envName).toList());
        names.addAll(LAUNCHER_VARIABLES);
        return names;
    }

    /**
     * The known name {@code wrong} was probably meant to be: one ending in {@code .wrong} (a key written at
     * the wrong level), else the closest by edit distance if close enough to be a typo.
     */
    static Optional<String> suggest(String wrong, Collection<String> known) {
        List<String> bySuffix = known.stream().filter(k -> k.endsWith("." + wrong)).toList();
        if (bySuffix.size() == 1) {
            return Optional.of(bySuffix.get(0));
        }
        int allowed = Math.max(2, wrong.length() / 4);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = editDistance(wrong.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** {@code " (did you mean 'x'?)"} or nothing. */
    static String didYouMean(String wrong, Collection<String> known) {
        return suggest(wrong, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    // ---- value parsers: each returns the parsed value or throws IllegalArgumentException saying what to write

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    static String hostPort(String text) {
        String bad = "'" + text + "' is not HOST:PORT (write e.g. localhost:5000, 0.0.0.0:5000, [::1]:5000)";
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(bad);
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (!(HOST_NAME.matcher(host).matches() || IPV6.matcher(host).matches()) || !PORT.matcher(port).matches()) {
            throw new IllegalArgumentException(bad);
        }
        if (Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + text + "': the port must be 0 to 65535");
        }
        return text;
    }

    static String publicUrl(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String bad = "'" + text + "' is not an http or https URL"
                + " (write e.g. https://registry.example.com, or \"\" to take it from each request)";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(bad);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(bad);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + text + "': a base URL has no user, query or fragment");
        }
        // Stored without a trailing slash so that paths such as "/v2/" can be appended as they are.
        return text.replaceAll("/+$", "");
    }

    static Path path(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a path is needed");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason());
        }
    }

    /** A path, or empty text for none. */
    static Optional<Path> optionalPath(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(path(text));
    }

    static Duration positive(String text) {
        Duration duration = Durations.parse(text);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is too short (write e.g. 5m)");
        }
        return duration;
    }

    static String required(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("a value is needed");
        }
        return text;
    }

    /** An http(s) URL or empty; kept without a trailing slash. */
    static String url(String text) {
        if (text.isEmpty()) {
            return text;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return text.replaceAll("/+$", "");
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not an http or https URL");
    }

    /** A key prefix: empty, or components of the object key grammar, kept with one trailing slash. */
    static String keyPrefix(String text) {
        String trimmed = text.replaceAll("^/+|/+$", "");
        if (trimmed.isEmpty()) {
            return "";
        }
        if (!trimmed.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")) {
            throw new IllegalArgumentException("'" + text + "' is not a key prefix (letters, digits, . _ - and /)");
        }
        return trimmed + "/";
    }

    static double fraction(String text) {
        try {
            double value = Double.parseDouble(text);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a number from 0 to 1 (write e.g. 0.01)");
    }

    static long positiveSize(String text) {
        long size = Sizes.parse(text);
        if (size < 1) {
            throw new IllegalArgumentException("'" + text + "' is too small (at least 1 byte)");
        }
        return size;
    }

    static int positiveInt(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a whole number of at least 1 (write e.g. 10)");
    }

    /** {@code ES256} or {@code EdDSA}, in any case. */
    static TokenAlgorithm tokenAlgorithm(String text) {
        for (TokenAlgorithm algorithm : TokenAlgorithm.values()) {
            if (algorithm.jwsName().equalsIgnoreCase(text)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not ES256 or EdDSA");
    }

    static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }

    /** The constant named by {@code text} in lower case, as configuration writes enum values. */
    static <E extends Enum<E>> E oneOf(String text, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (enumText(constant).equals(text)) {
                return constant;
            }
        }
        String choices = Arrays.stream(type.getEnumConstants())
                .map(ConfigKeys::enumText)
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("'" + text + "' is not one of: " + choices);
    }
}
