package dev.berth.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded configuration with where each key's value came from.
 *
 * @param config the configuration
 * @param origins for each key path (and switched section) some source set, the origins of its values in the order
 *     they were applied, so the last one is the value in force: {@code berth.yaml:7},
 *     {@code environment variable BERTH_LISTEN}, {@code option --listen}; a key no source set has its default
 */
public record TracedConfig(BerthConfig config, Map<String, List<String>> origins) {
    public TracedConfig {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        origins.forEach((path, list) -> copy.put(path, List.copyOf(list)));
        origins = Collections.unmodifiableMap(copy);
    }

    /** Where the value in force for {@code path} was written; empty: it is the default. */
    public Optional<String> origin(String path) {
        List<String> list = origins.getOrDefault(path, List.of());
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /** Where values for {@code path} were written that a later source overrode, in the order applied. */
    public List<String> overridden(String path) {
        List<String> list = origins.getOrDefault(path, List.of());
        return list.isEmpty() ? List.of() : list.subList(0, list.size() - 1);
    }
}
