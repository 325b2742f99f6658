package dev.berth.lifecycle;

/**
 * Why one rule removes something.
 *
 * @param rule the configuration that decides, e.g. {@code lifecycle.tags.expire-after 30d}
 * @param reason what about the object made the rule apply, e.g. {@code last pushed 31d ago}
 */
record Verdict(String rule, String reason) {}
