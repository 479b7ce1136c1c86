package dev.ebb.metrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the load history, which the autoscaler finds as its {@link dev.ebb.autoscaler.ScalingObserver}. */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    LoadHistory loadHistory() {
        return new LoadHistory();
    }
}
