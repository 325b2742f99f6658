package dev.berth.observe;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;

/** Latency and failures of object-store calls, by backend and operation. */
public final class StoreMetrics {
    /** The store calls measured, one label value each. */
    public enum Operation {
        STAT, GET, PUT, LIST, DELETE, MOVE, CONCATENATE;

        private final String label = name().toLowerCase(Locale.ROOT);

        /** The name as metrics write it. */
        public String label() {
            return label;
        }
    }

    private final Histogram latency;
    private final Counter errors;

    StoreMetrics(PrometheusRegistry registry) {
        latency = Histogram.builder().name("berth_storage_operation_duration_seconds")
                .help("time object-store calls took, by backend and operation (get: until the object was open)")
                .unit(Unit.SECONDS).labelNames("backend", "operation").classicOnly()
                .classicUpperBounds(HttpMetrics.LATENCY_BUCKETS).withoutExemplars().register(registry);
        errors = Counter.builder().name("berth_storage_errors_total")
                .help("object-store calls that failed in the backend (not a missing object or a lost conditional"
                        + " put), by backend and operation")
                .labelNames("backend", "operation").withoutExemplars().register(registry);
    }

    /** The data points of one backend, resolved once. */
    public Backend backend(String name) {
        return new Backend(name);
    }

    /** One backend's data points, indexed by {@link Operation}. */
    public final class Backend {
        private final DistributionDataPoint[] latencyPoints;
        private final CounterDataPoint[] errorPoints;

        private Backend(String name) {
            Operation[] operations = Operation.values();
            latencyPoints = new DistributionDataPoint[operations.length];
            errorPoints = new CounterDataPoint[operations.length];
            for (Operation operation : operations) {
                latencyPoints[operation.ordinal()] = latency.labelValues(name, operation.label());
                errorPoints[operation.ordinal()] = errors.labelValues(name, operation.label());
            }
        }

        /** Records a call that took {@code nanos}. */
        void took(Operation operation, long nanos) {
            latencyPoints[operation.ordinal()].observe(nanos / 1e9);
        }

        /** Counts a call that failed in the backend. */
        void failed(Operation operation) {
            errorPoints[operation.ordinal()].inc();
        }
    }
}
