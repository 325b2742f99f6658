package dev.berth.observe;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Requests by route, method and status, their latency, and the body bytes they carried. Recording one request
 * allocates nothing once its series exist: every data point is looked up in arrays indexed by route, method and
 * status, and asked of the Prometheus metric only the first time that combination is seen.
 */
public final class HttpMetrics {
    /** The methods that get a label of their own; every other method counts as {@code OTHER}. */
    static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER"};
    private static final int OTHER_METHOD = METHODS.length - 1;
    private static final int STATUSES = 600;
    /** Seconds: from a cached manifest (well under a millisecond) to a large blob over a slow link. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10, 30, 60, 300};

    private final Counter requests;
    private final Histogram latency;
    private final Counter aborted;
    private final CounterDataPoint[] bytesIn;
    private final CounterDataPoint[] bytesOut;
    private final CounterDataPoint[] abortedByRoute;
    /**
     * Filled lazily. A racing first use may ask the metric twice, which returns the same data point both times; a
     * data point's state is in final fields, so a plain array publishes it safely.
     */
    private final CounterDataPoint[][][] requestPoints;
    private final DistributionDataPoint[][] latencyPoints;

    HttpMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("berth_http_requests_total")
                .help("HTTP requests answered, by route, method and status")
                .labelNames("route", "method", "status").withoutExemplars().register(registry);
        latency = Histogram.builder().name("berth_http_request_duration_seconds")
                .help("time from a request's arrival to the end of its response, by route and method")
                .unit(Unit.SECONDS).labelNames("route", "method").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .withoutExemplars().register(registry);
        Counter in = Counter.builder().name("berth_http_request_bytes_total")
                .help("request body bytes received, by route").unit(Unit.BYTES).labelNames("route")
                .withoutExemplars().register(registry);
        Counter out = Counter.builder().name("berth_http_response_bytes_total")
                .help("response body bytes sent, by route").unit(Unit.BYTES).labelNames("route")
                .withoutExemplars().register(registry);
        aborted = Counter.builder().name("berth_http_responses_aborted_total")
                .help("responses cut off after they had begun (the client left, or the store failed mid-body),"
                        + " by route")
                .labelNames("route").withoutExemplars().register(registry);
        Route[] routes = Route.values();
        bytesIn = new CounterDataPoint[routes.length];
        bytesOut = new CounterDataPoint[routes.length];
        abortedByRoute = new CounterDataPoint[routes.length];
        for (Route route : routes) {
            bytesIn[route.ordinal()] = in.labelValues(route.label());
            bytesOut[route.ordinal()] = out.labelValues(route.label());
            abortedByRoute[route.ordinal()] = aborted.labelValues(route.label());
        }
        requestPoints = new CounterDataPoint[routes.length][METHODS.length][];
        latencyPoints = new DistributionDataPoint[routes.length][METHODS.length];
    }

    /**
     * Counts one answered request.
     *
     * @param nanos how long it took
     * @param bytesIn request body bytes read
     * @param bytesOut response body bytes written
     * @param wasAborted whether the response was cut off after it had begun
     */
    public void record(Route route, String method, int status, long nanos, long bytesIn, long bytesOut,
            boolean wasAborted) {
        int r = route.ordinal();
        int m = methodIndex(method);
        requestPoint(r, m, status).inc();
        DistributionDataPoint timer = latencyPoints[r][m];
        if (timer == null) {
            timer = latency.labelValues(route.label(), METHODS[m]);
            latencyPoints[r][m] = timer;
        }
        timer.observe(nanos / 1e9);
        if (bytesIn > 0) {
            this.bytesIn[r].inc(bytesIn);
        }
        if (bytesOut > 0) {
            this.bytesOut[r].inc(bytesOut);
        }
        if (wasAborted) {
            abortedByRoute[r].inc();
        }
    }

    private CounterDataPoint requestPoint(int route, int method, int status) {
        CounterDataPoint[] byStatus = requestPoints[route][method];
        if (byStatus == null) {
            byStatus = new CounterDataPoint[STATUSES];
            requestPoints[route][method] = byStatus;
        }
        int s = status >= 100 && status < STATUSES ? status : 0;
        CounterDataPoint point = byStatus[s];
        if (point == null) {
            point = requests.labelValues(Route.values()[route].label(), METHODS[method],
                    s == 0 ? "other" : Integer.toString(s));
            byStatus[s] = point;
        }
        return point;
    }

    /** The index of {@code method} in {@link #METHODS}. */
    static int methodIndex(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "PATCH" -> 4;
            case "DELETE" -> 5;
            default -> OTHER_METHOD;
        };
    }
}
