package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The medians over rounds of every measure of {@code scripts/bench-vs-distribution}, per target (berth,
 * distribution, baseline, ...), and the ratios of Berth to Distribution, including the targets of issue 6.
 * It reads {@code raw/round-N/TARGET-*.json} (reports of {@code berth bench}) and {@code raw/measures.tsv}
 * (lines of round, target, measure, value, unit, written by the script for wrk, skopeo and curl).
 */
public final class Comparison {
    static final String BERTH = "berth";
    static final String DISTRIBUTION = "distribution";
    static final String BASELINE = "baseline";
    static final String BERTH_VERIFY_OFF = "berth-verify-off";

    /** measure -> target -> the value of each round. */
    private final Map<String, Map<String, List<Double>>> values = new TreeMap<>();
    private final Map<String, String> units = new TreeMap<>();
    private int rounds;

    /** A unit where less is better (seconds, milliseconds); everything else is a rate. */
    static boolean lowerIsBetter(String unit) {
        return unit.equals("s") || unit.equals("ms");
    }

    /** Adds one round's value of {@code measure} for {@code target}. */
    public void add(int round, String target, String measure, double value, String unit) {
        values.computeIfAbsent(measure, m -> new TreeMap<>()).computeIfAbsent(target, t -> new ArrayList<>()).add(value);
        units.put(measure, unit);
        rounds = Math.max(rounds, round);
    }

    /** Reads every round of {@code rawDir}. */
    public static Comparison read(Path rawDir) throws IOException {
        Comparison comparison = new Comparison();
        try (Stream<Path> roundDirs = Files.list(rawDir)) {
            for (Path roundDir : roundDirs.filter(p -> p.getFileName().toString().startsWith("round-")).sorted().toList()) {
                int round = Integer.parseInt(roundDir.getFileName().toString().substring("round-".length()));
                try (Stream<Path> files = Files.list(roundDir)) {
                    for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                        String name = file.getFileName().toString();
                        String target = name.substring(0, name.lastIndexOf('-'));
                        comparison.addReport(round, target, BenchReport.read(file));
                    }
                }
            }
        }
        Path tsv = rawDir.resolve("measures.tsv");
        if (Files.exists(tsv)) {
            for (String line : Files.readAllLines(tsv)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 5) {
                    throw new IOException(tsv + ": expected round, target, measure, value, unit in: " + line);
                }
                comparison.add(Integer.parseInt(f[0]), f[1], f[2], Double.parseDouble(f[3]), f[4]);
            }
        }
        return comparison;
    }

    private void addReport(int round, String target, BenchReport report) {
        for (RunResult r : report.results()) {
            if (r.errors() > 0) {
                add(round, target, r.measure() + " errors", r.errors(), "count");
            }
            add(round, target, r.measure() + (r.sizeBytes() > 0 ? " MB/s" : " ops/s"),
                    r.sizeBytes() > 0 ? r.megabytesPerSecond() : r.operationsPerSecond(),
                    r.sizeBytes() > 0 ? "MB/s" : "ops/s");
            add(round, target, r.measure() + " p99", r.latencyMs().p99(), "ms");
        }
    }

    /** The median of {@code target}'s values of {@code measure}, if it was measured. */
    public Optional<Double> median(String measure, String target) {
        List<Double> list = values.getOrDefault(measure, Map.of()).get(target);
        if (list == null || list.isEmpty()) {
            return Optional.empty();
        }
        List<Double> sorted = list.stream().sorted().toList();
        int n = sorted.size();
        return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    /** The ratio of the medians of two targets for {@code measure}, if both were measured. */
    public Optional<Double> ratio(String measure, String target, String reference) {
        Optional<Double> a = median(measure, target);
        Optional<Double> b = median(measure, reference);
        return a.isPresent() && b.isPresent() && b.get() != 0 ? Optional.of(a.get() / b.get()) : Optional.empty();
    }

    /** One target of issue 6: a ratio of two targets' medians for a measure, at least or at most a bound. */
    record Target(String description, String measure, String target, String reference, boolean atLeast, double bound) {}

    /** Issue 6's targets, as the script names its measures. */
    static List<Target> targets() {
        return List.of(
                new Target("manifest GET by tag, wrk, 16 connections: ≥ 15× Distribution",
                        "wrk manifest-get-tag c=16", BERTH, DISTRIBUTION, true, 15),
                new Target("manifest GET by tag, wrk, 16 connections: ≥ 0.5× bare Jetty handler",
                        "wrk manifest-get-tag c=16", BERTH, BASELINE, true, 0.5),
                new Target("manifest GET by tag, berth bench, 16 connections: ≥ 15× Distribution",
                        "manifest-get-tag c=16 ops/s", BERTH, DISTRIBUTION, true, 15),
                new Target("manifest GET by tag, berth bench, 16 connections: ≥ 0.5× bare Jetty handler",
                        "manifest-get-tag c=16 ops/s", BERTH, BASELINE, true, 0.5),
                new Target("skopeo push of a 4-layer 200 MiB image: ≤ 0.9× Distribution's time",
                        "skopeo push 4x50MiB", BERTH, DISTRIBUTION, false, 0.9),
                new Target("skopeo pull of the same image: ≤ 1.0× Distribution's time",
                        "skopeo pull 4x50MiB", BERTH, DISTRIBUTION, false, 1.0),
                new Target("1 GiB blob GET, verify-on-read off: ≤ 1.0× Distribution's time",
                        "blob GET 1GiB", BERTH_VERIFY_OFF, DISTRIBUTION, false, 1.0),
                new Target("1 GiB blob GET, default verify-on-read: ≤ 1.2× Distribution's time",
                        "blob GET 1GiB", BERTH, DISTRIBUTION, false, 1.2));
    }

    /** The results as Markdown: the targets, then every measure with medians and the ratio. */
    public String markdown(String title, String machine) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        if (machine != null && !machine.isBlank()) {
            md.append(machine.strip()).append("\n\n");
        }
        md.append("Medians over ").append(rounds).append(" alternating round(s). Ratios are Berth's median over the "
                + "reference's: for rates (ops/s, MB/s, req/s) above 1 means Berth is faster, for times (s, ms) "
                + "below 1 means Berth is faster.\n\n");
        md.append("## Targets of issue 6\n\n| target | ratio | met |\n|---|---|---|\n");
        for (Target t : targets()) {
            Optional<Double> ratio = ratio(t.measure(), t.target(), t.reference());
            String met = ratio.map(r -> (t.atLeast() ? r >= t.bound() : r <= t.bound()) ? "yes" : "**no**")
                    .orElse("not measured");
            md.append("| ").append(t.description()).append(" | ").append(ratio.map(Comparison::format).orElse("–"))
                    .append(" | ").append(met).append(" |\n");
        }
        List<String> others = new ArrayList<>();
        md.append("\n## Every measure\n\n| measure | unit | Berth | Distribution | Berth / Distribution | others |\n"
                + "|---|---|---|---|---|---|\n");
        for (var entry : values.entrySet()) {
            String measure = entry.getKey();
            String unit = units.get(measure);
            others.clear();
            for (String target : entry.getValue().keySet()) {
                if (!target.equals(BERTH) && !target.equals(DISTRIBUTION)) {
                    others.add(target + " " + format(median(measure, target).orElseThrow()));
                }
            }
            md.append("| ").append(measure).append(" | ").append(unit).append(" | ")
                    .append(median(measure, BERTH).map(Comparison::format).orElse("–")).append(" | ")
                    .append(median(measure, DISTRIBUTION).map(Comparison::format).orElse("–")).append(" | ")
                    .append(ratio(measure, BERTH, DISTRIBUTION).map(Comparison::format).orElse("–")).append(" | ")
                    .append(String.join(", ", others)).append(" |\n");
        }
        return md.toString();
    }

    /** Three significant figures or more, never exponent notation. */
    static String format(double value) {
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
