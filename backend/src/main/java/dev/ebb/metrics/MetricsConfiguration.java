package dev.ebb.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the load history, which the autoscaler finds as its {@link dev.ebb.autoscaler.ScalingObserver}, and the request
 * metrics the gateways' reports feed: their history for the API and their totals on {@code /actuator/prometheus}.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    LoadHistory loadHistory() {
        return new LoadHistory();
    }

    @Bean
    RequestHistory requestHistory() {
        return new RequestHistory();
    }

    @Bean
    RequestTotals requestTotals(Clock clock, ObjectProvider<PrometheusMeterRegistry> prometheus) {
        RequestTotals totals = new RequestTotals(clock);
        prometheus.ifAvailable(registry -> registry.getPrometheusRegistry().register(totals));
        return totals;
    }

    @Bean
    RequestMetrics requestMetrics(RequestHistory history, RequestTotals totals, Clock clock) {
        return new RequestMetrics(history, totals, clock);
    }
}
