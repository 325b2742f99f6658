package dev.berth.config;

/**
 * One value for one key from one source, before it is parsed.
 *
 * @param key the key's dotted path, such as {@code storage.filesystem.root}
 * @param value the text as written
 * @param origin where it was written, the prefix of any message about it: {@code berth.yaml:7},
 *     {@code environment variable BERTH_LISTEN}, {@code option --listen}
 */
public record Setting(String key, String value, String origin) {}
