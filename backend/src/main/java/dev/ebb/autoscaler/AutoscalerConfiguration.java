package dev.ebb.autoscaler;

import dev.ebb.leadership.Leadership;
import dev.ebb.runtime.RuntimeLimits;
import dev.ebb.runtime.Runtimes;
import dev.ebb.spec.TemplateDefaults;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the autoscaler to the runtimes of every cluster. The cluster-wide defaults also decide what a new
 * revision's template gets for the scale settings it leaves out.
 */
@Configuration(proxyBeanMethods = false)
class AutoscalerConfiguration {

    @Bean
    TemplateDefaults templateDefaults(AutoscalerProperties properties, RuntimeLimits limits) {
        return properties.templateDefaults(limits.maxScaleLimit());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(name = "ebb.runtime.enabled", havingValue = "true", matchIfMissing = true)
    Autoscaler autoscaler(Runtimes runtimes, ObjectProvider<ScaleFloors> floors, ObjectProvider<ScalingObserver> observer,
            AutoscalerProperties properties, Clock clock, Leadership leadership) {
        return new Autoscaler(runtimes, floors.getIfAvailable(() -> ScaleFloors.NONE),
                observer.getIfAvailable(() -> ScalingObserver.NONE), properties, clock, leadership);
    }
}
