package dev.berth.bench;

import dev.berth.config.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one {@code berth bench} run does, validated: the registry, the scenarios, and how long each run lasts.
 * A run is one scenario at one concurrency (and one size for blob scenarios); it ends after {@code requests}
 * operations, or at {@code duration} when that is set, and a blob run also after {@code maxBytes} bytes (but
 * never before each connection did one operation).
 */
public record BenchOptions(
        URI url,
        List<Integer> concurrency,
        long requests,
        Duration duration,
        List<ByteSize> sizes,
        List<Scenario> scenarios,
        String repo,
        String credentials,
        Path output,
        ByteSize chunkSize,
        long maxBytes,
        int tags,
        int repositories,
        Duration prepareTimeout,
        int prepareConcurrency,
        int pageSize,
        int warmup) {
    /** Connections per run at most: beyond this the client's own threads would be what is measured. */
    public static final int MAX_CONCURRENCY = 1024;
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    public BenchOptions {
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http:// or https:// URL with a host, got " + url);
        }
        if (url.getPath() != null && !url.getPath().isEmpty() && !url.getPath().equals("/")) {
            throw new IllegalArgumentException("--url is the registry's root (such as http://127.0.0.1:5000), "
                    + "without a path; got " + url);
        }
        concurrency = List.copyOf(concurrency);
        if (concurrency.isEmpty()) {
            throw new IllegalArgumentException("--concurrency needs at least one value");
        }
        for (int c : concurrency) {
            if (c < 1 || c > MAX_CONCURRENCY) {
                throw new IllegalArgumentException("--concurrency values must be 1 to " + MAX_CONCURRENCY + ", got " + c);
            }
        }
        if (duration != null && requests > 0) {
            throw new IllegalArgumentException("give --requests or --duration, not both");
        }
        if (duration == null && requests < 1) {
            throw new IllegalArgumentException("--requests must be at least 1, got " + requests);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        sizes = List.copyOf(sizes);
        scenarios = List.copyOf(new LinkedHashSet<>(scenarios));
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("--only needs at least one scenario");
        }
        if (sizes.isEmpty() && scenarios.stream().anyMatch(Scenario::sized)) {
            throw new IllegalArgumentException("--sizes needs at least one size for the push and pull scenarios");
        }
        if (repo == null || repo.length() > 200 || !REPOSITORY.matcher(repo).matches()) {
            throw new IllegalArgumentException("--repo must be a repository name such as bench/x (lower case, "
                    + "at most 200 characters), got '" + repo + "'");
        }
        if (credentials != null && credentials.indexOf(':') < 1) {
            throw new IllegalArgumentException("--creds must be USER:PASSWORD");
        }
        if (chunkSize.bytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--chunk-size must be below 2 GiB, got " + chunkSize);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("--max-bytes must be positive");
        }
        if (tags < 1 || repositories < 1) {
            throw new IllegalArgumentException("--tags and --repositories must be at least 1");
        }
        if (prepareTimeout.isNegative() || prepareTimeout.isZero()) {
            throw new IllegalArgumentException("--prepare-timeout must be positive");
        }
        if (prepareConcurrency < 1 || prepareConcurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--prepare-concurrency must be 1 to " + MAX_CONCURRENCY);
        }
        if (pageSize < 0) {
            throw new IllegalArgumentException("--page-size must be 0 (the server's default) or more");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
    }

    /** The largest concurrency of the run, which is how many connections the client keeps. */
    public int maxConcurrency() {
        return concurrency.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** The operations one run may do at most: the request count, capped by {@code maxBytes} for a blob run. */
    public long operationBudget(ByteSize size, int connections) {
        long budget = duration == null ? requests : Long.MAX_VALUE;
        if (size != null) {
            budget = Math.min(budget, Math.max(connections, maxBytes / size.bytes()));
        }
        return budget;
    }

    /** Parses {@code 1,4,16,64}. */
    public static List<Integer> parseConcurrency(String text) {
        List<Integer> values = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                values.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--concurrency takes numbers separated by commas, got '" + text + "'");
            }
        }
        return values;
    }

    /** Parses {@code 1MB,10MB,100MB}. */
    public static List<ByteSize> parseSizes(String text) {
        List<ByteSize> values = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                values.add(ByteSize.parse(part));
            }
        }
        return values;
    }

    /** Parses {@code push-monolithic,pull}; {@code all} is every scenario. */
    public static List<Scenario> parseScenarios(String text) {
        if (text.strip().equals("all")) {
            return List.of(Scenario.values());
        }
        List<Scenario> values = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                values.add(Scenario.byId(part));
            }
        }
        return values;
    }

    /** Parses {@code 20s}, {@code 2m}. */
    public static Duration parseDuration(String option, String text) {
        try {
            return Durations.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
