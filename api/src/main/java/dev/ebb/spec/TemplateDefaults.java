package dev.ebb.spec;

import java.time.Duration;

/**
 * Values a template gets for the fields it leaves out, frozen into each revision at creation, whether the
 * cluster lets a revision start at zero, and the most instances it lets one revision have
 * ({@code maxScaleLimit}, Knative's {@code max-scale-limit}). The standard set matches Knative Serving's
 * defaults, with Ebb's limit of 100 instances.
 */
public record TemplateDefaults(
        int port,
        String protocol,
        int timeoutSeconds,
        int concurrencyLimit,
        int concurrencyTarget,
        int rpsTarget,
        int utilization,
        int minScale,
        int maxScale,
        int initialScale,
        Duration window,
        Duration scaleDownDelay,
        String metric,
        boolean allowZeroInitialScale,
        int maxScaleLimit) {

    public static final int STANDARD_MAX_SCALE_LIMIT = 100;

    public static TemplateDefaults standard() {
        return new TemplateDefaults(8080, "http1", 300, 0, 100, 200, 70, 0, 0, 1,
                Duration.ofSeconds(60), Duration.ZERO, "concurrency", false, STANDARD_MAX_SCALE_LIMIT);
    }
}
