package dev.ebb.autoscaler;

import dev.ebb.spec.AutoscalingAnnotations;
import dev.ebb.spec.Durations;
import dev.ebb.spec.Template;
import java.time.Duration;

/**
 * Turns a revision's (defaulted) template and the cluster-wide settings into the autoscaler's settings, the
 * way Knative resolves a revision's annotations against {@code config-autoscaler}.
 */
public final class RevisionScaling {

    private RevisionScaling() {
    }

    /** Whether the revision scales on requests per second rather than on concurrency. */
    public static boolean byRequestsPerSecond(Template template) {
        return "rps".equals(template.scale().metric());
    }

    public static ScalingSettings settings(Template template, AutoscalerProperties cluster) {
        Template.Concurrency concurrency = template.concurrency();
        Template.Scale scale = template.scale();
        double target = concurrency.target();
        if (!byRequestsPerSecond(template) && concurrency.limit() > 0) {
            // An instance can never carry more than its hard limit.
            target = Math.min(target, concurrency.limit());
        }
        Duration stable = Durations.parse(scale.window()).orElse(cluster.stableWindow());
        double panicPercent = AutoscalingAnnotations.panicWindowPercentage(template).orElse(cluster.panicWindowPercentage());
        Duration panic = Duration.ofMillis(Math.max(1_000, Math.round(stable.toMillis() * panicPercent / 100)));
        double threshold = AutoscalingAnnotations.panicThresholdPercentage(template).orElse(cluster.panicThresholdPercentage()) / 100;
        return new ScalingSettings(
                target,
                concurrency.utilization() / 100.0,
                stable,
                panic,
                threshold,
                cluster.maxScaleUpRate(),
                cluster.maxScaleDownRate(),
                AutoscalingAnnotations.activationScale(template),
                Durations.parse(scale.scaleDownDelay()).orElse(Duration.ZERO),
                scale.min(),
                scale.max(),
                scale.initial(),
                cluster.scaleToZeroGracePeriod(),
                AutoscalingAnnotations.scaleToZeroRetention(template).orElse(cluster.scaleToZeroPodRetentionPeriod()),
                AutoscalingAnnotations.targetBurstCapacity(template).orElse(cluster.targetBurstCapacity()));
    }
}
