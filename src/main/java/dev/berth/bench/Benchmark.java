package dev.berth.bench;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code berth bench} run: checks the registry answers, prepares the fixtures the chosen scenarios read, then
 * runs each scenario at each concurrency (and each size), printing a table row after each run.
 */
public final class Benchmark {
    private final BenchOptions options;
    private final PrintWriter out;
    private final BlobContent content = new BlobContent(0x62656e6368L);
    private final ImageFixture image = ImageFixture.create();
    /** Unique per process, so that pushes of two runs against one registry never send the same blob. */
    private final long nonce = new SecureRandom().nextLong();
    private final AtomicLong sequence = new AtomicLong();

    public Benchmark(BenchOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs every scenario and returns what was measured; fails only when the registry cannot be prepared. */
    public BenchReport run() throws Exception {
        String started = Instant.now().toString();
        try (RegistryClient client = new RegistryClient(options.url(), options.credentials())) {
            client.checkApi();
            Map<String, FixturePreparer.Prepared> fixtures = new LinkedHashMap<>();
            Fixtures prepared = prepare(client, fixtures);
            BenchRunner runner = new BenchRunner(client);
            List<RunResult> results = new ArrayList<>();
            out.print(ResultTable.header());
            out.flush();
            for (Scenario scenario : options.scenarios()) {
                List<ByteSize> sizes = scenario.sized() ? options.sizes() : java.util.Collections.singletonList(null);
                for (ByteSize size : sizes) {
                    BenchRunner.Operation operation = operation(client, prepared, scenario, size);
                    int warmup = scenario.sized() ? Math.min(options.warmup(), 1) : options.warmup();
                    runner.warmUp(operation, warmup, sequence);
                    for (int concurrency : options.concurrency()) {
                        RunResult result = runner.run(scenario, size, concurrency,
                                options.operationBudget(size, concurrency), options.duration(), operation, sequence);
                        results.add(result);
                        out.print(ResultTable.row(result));
                        out.flush();
                    }
                }
            }
            return new BenchReport("berth bench", options.url().toString(), started, clientFacts(), optionFacts(),
                    fixtures, results);
        }
    }

    /** What the scenarios read: the pull blobs by size, and the repositories holding the fixtures. */
    private record Fixtures(Map<ByteSize, BlobContent.Blob> pullBlobs, String tagRepo) {}

    private Fixtures prepare(RegistryClient client, Map<String, FixturePreparer.Prepared> fixtures) throws Exception {
        FixturePreparer preparer = new FixturePreparer(client, content, image, options.prepareConcurrency());
        List<Scenario> scenarios = options.scenarios();
        boolean needsImage = scenarios.stream().anyMatch(s -> s.readsManifest() || s == Scenario.TAG_LIST
                || s == Scenario.CATALOG);
        if (needsImage) {
            preparer.image(options.repo());
        }
        Map<ByteSize, BlobContent.Blob> pullBlobs = scenarios.contains(Scenario.PULL)
                ? preparer.pullBlobs(options.repo(), options.sizes()) : Map.of();
        String tagRepo = options.repo() + "/tags";
        if (scenarios.contains(Scenario.TAG_LIST)) {
            fixtures.put("tags", report("tags in " + tagRepo,
                    preparer.tags(tagRepo, options.repo(), options.tags(), options.prepareTimeout())));
        }
        if (scenarios.contains(Scenario.CATALOG)) {
            fixtures.put("repositories", report("repositories under " + options.repo() + "/catalog",
                    preparer.repositories(options.repo() + "/catalog", options.repo(), options.repositories(),
                            options.prepareTimeout())));
        }
        return new Fixtures(pullBlobs, tagRepo);
    }

    private FixturePreparer.Prepared report(String what, FixturePreparer.Prepared prepared) {
        out.printf("fixture: %d %s (%d created in %.1f s)%s%n", prepared.count(), what, prepared.created(),
                prepared.seconds(), prepared.complete() ? "" : "; stopped at --prepare-timeout");
        out.flush();
        return prepared;
    }

    private BenchRunner.Operation operation(RegistryClient client, Fixtures fixtures, Scenario scenario,
            ByteSize size) {
        String repo = options.repo();
        return switch (scenario) {
            case PUSH_MONOLITHIC -> seq -> client.pushMonolithic(repo, content, content.blob(size.bytes(), nonce, seq));
            case PUSH_CHUNKED -> seq -> client.pushChunked(repo, content, content.blob(size.bytes(), nonce, seq),
                    options.chunkSize().bytes());
            case PULL -> {
                String digest = fixtures.pullBlobs().get(size).digest();
                yield seq -> client.pullBlob(repo, digest);
            }
            case MANIFEST_GET_TAG -> seq -> client.readManifest(repo, ImageFixture.TAG, false);
            case MANIFEST_HEAD_TAG -> seq -> client.readManifest(repo, ImageFixture.TAG, true);
            case MANIFEST_GET_DIGEST -> seq -> client.readManifest(repo, image.manifestDigest(), false);
            case MANIFEST_HEAD_DIGEST -> seq -> client.readManifest(repo, image.manifestDigest(), true);
            case TAG_LIST -> seq -> client.tags(fixtures.tagRepo(), options.pageSize()).bytes();
            case CATALOG -> seq -> client.catalog(options.pageSize()).bytes();
        };
    }

    private Map<String, Object> clientFacts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("java", System.getProperty("java.version"));
        facts.put("cpus", Runtime.getRuntime().availableProcessors());
        facts.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        return facts;
    }

    private Map<String, Object> optionFacts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("concurrency", options.concurrency());
        facts.put("requests", options.duration() == null ? options.requests() : null);
        facts.put("duration", options.duration() == null ? null : options.duration().toString());
        facts.put("sizes", options.sizes().stream().map(ByteSize::label).toList());
        facts.put("scenarios", options.scenarios().stream().map(Scenario::id).toList());
        facts.put("repo", options.repo());
        facts.put("chunkSize", options.chunkSize().label());
        facts.put("maxBytes", options.maxBytes());
        facts.put("tags", options.tags());
        facts.put("repositories", options.repositories());
        facts.put("pageSize", options.pageSize());
        facts.put("warmup", options.warmup());
        return facts;
    }
}
