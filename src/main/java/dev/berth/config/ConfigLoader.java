package dev.berth.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@link BerthConfig} from its four sources: command-line flags, then environment variables, then
 * the YAML file, then {@link BerthConfig#defaults()}. Every value of every source is checked, even one a
 * higher source overrides, and all problems are reported together.
 */
public final class ConfigLoader {
    private static final String ENV_PREFIX = "BERTH_";

    private ConfigLoader() {}

    /**
     * The configuration from {@code file} (null: none), the environment {@code env} (its {@code BERTH_}
     * variables) and {@code flags} (settings the command line made, each naming its option as origin).
     */
    public static BerthConfig load(Path file, Map<String, String> env, List<Setting> flags) throws ConfigException {
        return loadTraced(file, env, flags).config();
    }

    /** As {@link #load}, keeping where each key's value came from, for {@code berth config check}. */
    public static TracedConfig loadTraced(Path file, Map<String, String> env, List<Setting> flags)
            throws ConfigException {
        List<String> problems = new ArrayList<>();
        // Lowest precedence first: binding them in this order lets each later value replace an earlier one.
        List<Setting> settings = new ArrayList<>();
        if (file != null) {
            ConfigFile.read(file, settings, problems);
        }
        settings.addAll(fromEnvironment(env, problems));
        settings.addAll(flags);

        BerthConfig config = BerthConfig.defaults();
        Map<String, List<String>> origins = new LinkedHashMap<>();
        for (Setting setting : settings) {
            ConfigKey key = ConfigKeys.find(setting.key())
                    .or(() -> ConfigKeys.findSection(setting.key()))
                    .orElse(null);
            if (key == null) {
                problems.add(setting.origin() + ": unknown key '" + setting.key() + "'");
                continue;
            }
            try {
                config = key.binder().bind(config, setting.value());
                origins.computeIfAbsent(key.path(), k -> new ArrayList<>()).add(setting.origin());
            } catch (IllegalArgumentException e) {
                problems.add(setting.origin() + ": " + key.path() + ": " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(driverProblems(config.storage()));
            BerthConfig loaded = config;
            config.auth().ifPresent(auth -> problems.addAll(authProblems(auth, loaded.namespaces())));
            config.tls().ifPresent(tls -> problems.addAll(tlsProblems(tls)));
            problems.addAll(adminProblems(config));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new TracedConfig(config, origins);
    }

    /** What the chosen storage driver lacks: keys that are optional alone but needed together. */
    static List<String> driverProblems(BerthConfig.Storage storage) {
        List<String> problems = new ArrayList<>();
        switch (storage.driver()) {
            case S3 -> {
                BerthConfig.S3 s3 = storage.s3();
                if (s3.accessKey().isEmpty() != s3.secretKey().isEmpty()) {
                    problems.add("storage.s3: access-key and secret-key go together; set both or neither");
                }
            }
            case SWIFT -> {
                BerthConfig.Swift swift = storage.swift();
                if (swift.authUrl().isEmpty() || swift.user().isEmpty()) {
                    problems.add("storage.swift: auth-url and user are required when storage.driver is swift");
                } else if (swift.keystone() && (swift.password().isEmpty() || swift.project().isEmpty())) {
                    problems.add("storage.swift: Keystone (an auth-url ending in /v3) needs password and project");
                } else if (!swift.keystone() && swift.key().isEmpty()) {
                    problems.add("storage.swift: tempauth (an auth-url not ending in /v3) needs key");
                }
            }
            default -> { }
        }
        return problems;
    }

    /**
     * What the auth section's keys get wrong together: a rule naming a group that no key defines, or a namespace
     * that {@code namespaces} does not configure.
     */
    static List<String> authProblems(BerthConfig.Auth auth, List<BerthConfig.NamespaceSpec> namespaces) {
        List<String> problems = new ArrayList<>();
        List<String> namespaceNames = new ArrayList<>(List.of(BerthConfig.AccessRule.DEFAULT_NAMESPACE,
                BerthConfig.AccessRule.EVERY_NAMESPACE));
        namespaces.forEach(ns -> namespaceNames.add(ns.name()));
        for (int i = 0; i < auth.rules().size(); i++) {
            BerthConfig.AccessRule rule = auth.rules().get(i);
            for (String group : rule.groups()) {
                if (!auth.groups().containsKey(group)) {
                    problems.add("auth.rules: rule " + (i + 1) + ": groups: no group '" + group + "' in auth.groups"
                            + ConfigKeys.didYouMean(group, auth.groups().keySet()));
                }
            }
            if (!namespaceNames.contains(rule.namespace())) {
                problems.add("auth.rules: rule " + (i + 1) + ": namespace: no namespace '" + rule.namespace()
                        + "' in namespaces (default, * or a configured one)"
                        + ConfigKeys.didYouMean(rule.namespace(), namespaceNames));
            }
        }
        BerthConfig.Token token = auth.token();
        if (token.enabled() && !token.jwks().isEmpty()) {
            if (token.realm().isEmpty()) {
                problems.add("auth.token.realm: required with auth.token.jwks: the token endpoint of the issuer"
                        + " that clients must get their tokens from");
            }
            if (token.key().isPresent()) {
                problems.add("auth.token.key: not used with auth.token.jwks (Berth then issues no tokens);"
                        + " remove one of them");
            }
        }
        return problems;
    }

    /** The admin listener needs an address of its own: the main listener cannot also be it. */
    static List<String> adminProblems(BerthConfig config) {
        return config.admin().listen()
                .filter(admin -> admin.equals(config.listen()) && !admin.endsWith(":0"))
                .map(admin -> List.of("admin.listen: " + admin + " is the main listener's address too; give the"
                        + " admin endpoints another port, or leave admin.listen empty to serve them on the main one"))
                .orElse(List.of());
    }

    /** A TLS listener needs both its certificate and its key; the message names the one missing. */
    static List<String> tlsProblems(BerthConfig.Tls tls) {
        if (tls.cert().isEmpty() && tls.key().isEmpty()) {
            return List.of("tls: cert and key are both required when the tls section is present");
        }
        if (tls.key().isEmpty()) {
            return List.of("tls.key: required with tls.cert (" + tls.cert().get() + "): the certificate's private key");
        }
        if (tls.cert().isEmpty()) {
            return List.of("tls.cert: required with tls.key (" + tls.key().get() + "): the certificate chain");
        }
        return List.of();
    }

    /** Settings from {@code BERTH_} variables; a variable matching no key is a problem, as a typo would be. */
    static List<Setting> fromEnvironment(Map<String, String> env, List<String> problems) {
        List<Setting> settings = new ArrayList<>();
        // Sorted so that messages come in the same order on every run.
        for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX) || ConfigKeys.LAUNCHER_VARIABLES.contains(name)) {
                continue;
            }
            String origin = "environment variable " + name;
            ConfigKeys.findByEnvName(name).ifPresentOrElse(
                    key -> settings.add(new Setting(key.path(), variable.getValue(), origin)),
                    () -> problems.add(origin + ": matches no configuration key"
                            + ConfigKeys.didYouMean(name, ConfigKeys.envNames())));
        }
        return settings;
    }
}
