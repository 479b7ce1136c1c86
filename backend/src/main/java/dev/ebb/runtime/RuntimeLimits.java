package dev.ebb.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds that keep one request from exhausting the machines a cluster runs on.
 *
 * @param maxScaleLimit the most instances one revision may ask for or be given: {@code scale.min},
 *     {@code scale.max} and {@code scale.initial} (and their Knative annotations) above it are refused, and the
 *     autoscaler's count is capped at it, so {@code scale.max: 0} means "up to this limit" (Knative's
 *     {@code max-scale-limit})
 */
@ConfigurationProperties("ebb.runtime")
public record RuntimeLimits(@DefaultValue("100") int maxScaleLimit) {

    public static final String MAX_SCALE_LIMIT_PROPERTY = "ebb.runtime.max-scale-limit";

    public RuntimeLimits {
        if (maxScaleLimit < 1) {
            throw new IllegalArgumentException(MAX_SCALE_LIMIT_PROPERTY + " must be at least 1, is " + maxScaleLimit);
        }
    }
}
