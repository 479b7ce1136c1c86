package dev.ebb.autoscaler;

import dev.ebb.spec.TemplateDefaults;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cluster-wide autoscaling defaults, named and valued as in Knative's {@code config-autoscaler}. The first
 * group becomes part of each new revision's template when the template leaves it out (and is then frozen
 * with the revision); the second applies to every revision at decision time.
 *
 * @param containerConcurrencyTargetDefault in-flight requests per instance aimed for (metric concurrency)
 * @param requestsPerSecondTargetDefault requests per second per instance aimed for (metric rps)
 * @param targetUtilizationPercentage the share of the target filled before adding instances
 * @param stableWindow the window the stable average covers
 * @param initialScale instances a new revision starts with
 * @param minScale instances kept without traffic (0 allows scale to zero)
 * @param maxScale upper bound, 0 = unlimited
 * @param scaleDownDelay how long a lower count must be wanted before it applies
 * @param panicWindowPercentage the panic window as a percentage of the stable window
 * @param panicThresholdPercentage wanted/ready ratio, in percent, that starts panic mode
 * @param maxScaleUpRate at most this many times the ready instances in one decision
 * @param maxScaleDownRate at least the ready instances divided by this in one decision
 * @param scaleToZeroGracePeriod idle time after the stable window before the last instance goes ({@code EBB_SCALE_TO_ZERO_GRACE})
 * @param scaleToZeroPodRetentionPeriod the last instance stays at least this long once the autoscaler wants zero
 * @param targetBurstCapacity the burst a revision should take at once beyond its load before the gateway buffers its
 *     requests as Knative's activator does; -1 always, 0 only at zero
 * @param tick how often decisions run
 * @param allowZeroInitialScale whether a revision may start with no instance ({@code scale.initial: 0}); it is
 *     then Ready at once and its first request starts an instance
 */
@ConfigurationProperties("ebb.autoscaler")
public record AutoscalerProperties(
        @DefaultValue("100") int containerConcurrencyTargetDefault,
        @DefaultValue("200") int requestsPerSecondTargetDefault,
        @DefaultValue("70") int targetUtilizationPercentage,
        @DefaultValue("60s") Duration stableWindow,
        @DefaultValue("1") int initialScale,
        @DefaultValue("0") int minScale,
        @DefaultValue("0") int maxScale,
        @DefaultValue("0s") Duration scaleDownDelay,
        @DefaultValue("10") double panicWindowPercentage,
        @DefaultValue("200") double panicThresholdPercentage,
        @DefaultValue("1000") double maxScaleUpRate,
        @DefaultValue("2") double maxScaleDownRate,
        @DefaultValue("30s") Duration scaleToZeroGracePeriod,
        @DefaultValue("0s") Duration scaleToZeroPodRetentionPeriod,
        @DefaultValue("211") double targetBurstCapacity,
        @DefaultValue("1s") Duration tick,
        @DefaultValue("false") boolean allowZeroInitialScale) {

    /** Knative's defaults, as when nothing is configured. */
    public static AutoscalerProperties knativeDefaults() {
        return new AutoscalerProperties(100, 200, 70, Duration.ofSeconds(60), 1, 0, 0, Duration.ZERO, 10, 200, 1000, 2,
                Duration.ofSeconds(30), Duration.ZERO, 211, Duration.ofSeconds(1), false);
    }

    /** The defaults a new revision's template takes for what it leaves out, and the cluster's instance limit. */
    public TemplateDefaults templateDefaults(int maxScaleLimit) {
        TemplateDefaults standard = TemplateDefaults.standard();
        return new TemplateDefaults(standard.port(), standard.protocol(), standard.timeoutSeconds(), standard.concurrencyLimit(),
                containerConcurrencyTargetDefault, requestsPerSecondTargetDefault, targetUtilizationPercentage, minScale,
                maxScale, initialScale, stableWindow, scaleDownDelay, standard.metric(), allowZeroInitialScale, maxScaleLimit);
    }
}
