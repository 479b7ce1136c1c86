package dev.ebb.rollout;

import dev.ebb.audit.AuditLog;
import dev.ebb.leadership.Leadership;
import dev.ebb.metrics.RequestMetrics;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the rollouts: their store, the step measurements fed by the gateways' reports, and the leader's engine. */
@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {

    @Bean
    RolloutStore rolloutStore(JdbcTemplate jdbc, JsonMapper json) {
        return new RolloutStore(jdbc, json);
    }

    @Bean
    StepMeasurements stepMeasurements(RequestMetrics requests) {
        StepMeasurements measurements = new StepMeasurements();
        requests.subscribe(measurements::report);
        return measurements;
    }

    @Bean
    Rollouts rollouts(RolloutStore store, StepMeasurements measurements, AuditLog audit, ApplicationEventPublisher events,
            JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new Rollouts(store, measurements, audit, events, jdbc, new TransactionTemplate(transactions), clock);
    }

    @Bean(destroyMethod = "close")
    RolloutEngine rolloutEngine(RolloutStore store, Rollouts rollouts, StepMeasurements measurements,
            PlatformTransactionManager transactions, Clock clock, Leadership leadership,
            @Value("${ebb.rollout.tick:1s}") Duration tick) {
        RolloutEngine engine = new RolloutEngine(store, rollouts, measurements, new TransactionTemplate(transactions), clock,
                leadership, tick);
        engine.start();
        return engine;
    }
}
