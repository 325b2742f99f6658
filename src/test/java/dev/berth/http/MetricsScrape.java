package dev.berth.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One scrape of {@code /metrics} in the Prometheus text format, read into samples a test can sum. */
record MetricsScrape(String text, List<Sample> samples) {

    /** One sample line: a name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** Reads every sample line of {@code text}; comments and blank lines are skipped. */
    static MetricsScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            double value = Double.parseDouble(line.substring(space + 1));
            int brace = series.indexOf('{');
            Map<String, String> labels = new LinkedHashMap<>();
            String name = series;
            if (brace >= 0) {
                name = series.substring(0, brace);
                // Berth's label values hold no quote, comma or backslash, so a plain split reads them.
                for (String pair : series.substring(brace + 1, series.length() - 1).split(",")) {
                    int eq = pair.indexOf('=');
                    labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
            }
            samples.add(new Sample(name, labels, value));
        }
        return new MetricsScrape(text, List.copyOf(samples));
    }

    /** The sum of the samples named {@code name} whose labels include every {@code key=value} given. */
    double sum(String name, String... labels) {
        double total = 0;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && matches(sample, labels)) {
                total += sample.value();
            }
        }
        return total;
    }

    /** Whether any sample is named {@code name}. */
    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The label values of {@code label} across every sample. */
    List<String> labelValues(String label) {
        return samples.stream().map(s -> s.labels().get(label)).filter(v -> v != null).distinct().toList();
    }

    private static boolean matches(Sample sample, String[] labels) {
        for (String pair : labels) {
            int eq = pair.indexOf('=');
            if (!pair.substring(eq + 1).equals(sample.labels().get(pair.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }
}
