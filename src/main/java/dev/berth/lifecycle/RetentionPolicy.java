package dev.berth.lifecycle;

import dev.berth.config.BerthConfig.RetentionRule;
import dev.berth.registry.RepositoryGlob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code lifecycle.retention}, applied to one repository at a time. Every rule whose glob matches a
 * repository applies to it, and what any of them keeps is kept:
 *
 * <ul>
 *   <li>A rule with {@code keep-last} or {@code keep-matching} keeps the union of the N most recently pushed tags
 *       and the tags the pattern finds, and removes the repository's other tags, unless another matching rule
 *       keeps them. {@code keep-last} alone therefore trims a repository to its N newest tags, whether or not
 *       {@code lifecycle.tags.expire-after} is set.</li>
 *   <li>A tag that any matching rule keeps is never expired by {@code lifecycle.tags.expire-after}.</li>
 *   <li>A rule with only {@code delete-untagged-after} keeps no tags and removes none.</li>
 *   <li>Untagged manifests go after the longest {@code delete-untagged-after} among the matching rules.</li>
 * </ul>
 */
final class RetentionPolicy {
    private final List<Rule> rules;

    RetentionPolicy(List<RetentionRule> configured) {
        List<Rule> numbered = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            RetentionRule r = configured.get(i);
            numbered.add(new Rule("lifecycle.retention[" + (i + 1) + "] " + r.repositories(),
                    new RepositoryGlob(r.repositories()), r, r.keepMatching().map(Pattern::compile).orElse(null)));
        }
        this.rules = List.copyOf(numbered);
    }

    /** One configured rule with its glob and pattern compiled; {@code label} names it in plans and logs. */
    private record Rule(String label, RepositoryGlob glob, RetentionRule config, Pattern keepMatching) {
        boolean decidesTags() {
            return config.keepLast().isPresent() || keepMatching != null;
        }
    }

    /**
     * What the rules decide about the tags of one repository.
     *
     * @param kept the tags some matching rule keeps
     * @param removed the tags a matching rule removes, with the first such rule's verdict
     */
    record TagDecision(Set<String> kept, Map<String, Verdict> removed) {}

    /**
     * How long untagged manifests of a repository may stay.
     *
     * @param rule the label of the rule that sets the duration
     * @param after the duration
     */
    record UntaggedLimit(String rule, Duration after) {}

    /** True when some rule matches {@code repository}. */
    boolean appliesTo(String repository) {
        return rules.stream().anyMatch(r -> r.glob().matches(repository));
    }

    /** Decides the tags of {@code repository}: which some rule keeps, and which a rule removes. */
    TagDecision tags(String repository, List<RepositoryContents.TagEntry> tags) {
        List<Rule> deciding = rules.stream().filter(r -> r.glob().matches(repository)).filter(Rule::decidesTags)
                .toList();
        if (deciding.isEmpty()) {
            return new TagDecision(Set.of(), Map.of());
        }
        // Newest first; equal push times are ordered by name, so the same store always yields the same plan.
        List<RepositoryContents.TagEntry> newestFirst = tags.stream()
                .sorted(Comparator.comparing(RepositoryContents.TagEntry::pushed).reversed()
                        .thenComparing(RepositoryContents.TagEntry::name))
                .toList();
        Set<String> kept = new HashSet<>();
        for (Rule rule : deciding) {
            kept.addAll(keptBy(rule, newestFirst));
        }
        Map<String, Verdict> removed = new LinkedHashMap<>();
        Rule first = deciding.getFirst(); // every deciding rule removes what none keeps; the first one is named
        String reason = unkeptReason(first) + (deciding.size() > 1 ? ", and no other matching rule keeps it" : "");
        for (RepositoryContents.TagEntry tag : newestFirst) {
            if (!kept.contains(tag.name())) {
                removed.put(tag.name(), new Verdict(first.label(), reason));
            }
        }
        return new TagDecision(Set.copyOf(kept), removed);
    }

    /** The longest {@code delete-untagged-after} of the rules matching {@code repository}, if any sets one. */
    Optional<UntaggedLimit> untagged(String repository) {
        UntaggedLimit longest = null;
        for (Rule rule : rules) {
            if (!rule.glob().matches(repository) || rule.config().deleteUntaggedAfter().isEmpty()) {
                continue;
            }
            Duration after = rule.config().deleteUntaggedAfter().get();
            if (longest == null || after.compareTo(longest.after()) > 0) {
                longest = new UntaggedLimit(rule.label() + " delete-untagged-after " + DurationText.of(after), after);
            }
        }
        return Optional.ofNullable(longest);
    }

    private static List<String> keptBy(Rule rule, List<RepositoryContents.TagEntry> newestFirst) {
        List<String> kept = new ArrayList<>();
        int last = rule.config().keepLast().orElse(0);
        for (int i = 0; i < newestFirst.size(); i++) {
            String name = newestFirst.get(i).name();
            if (i < last || (rule.keepMatching() != null && rule.keepMatching().matcher(name).find())) {
                kept.add(name);
            }
        }
        return kept;
    }

    private static String unkeptReason(Rule rule) {
        List<String> parts = new ArrayList<>();
        rule.config().keepLast().ifPresent(n -> parts.add("not among the " + n + " most recently pushed tags"));
        if (rule.keepMatching() != null) {
            parts.add("not matching " + rule.keepMatching().pattern());
        }
        return String.join(" and ", parts);
    }
}
