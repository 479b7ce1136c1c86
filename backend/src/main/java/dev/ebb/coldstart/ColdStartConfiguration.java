package dev.ebb.coldstart;

import dev.ebb.audit.AuditLog;
import dev.ebb.autoscaler.Autoscaler;
import dev.ebb.autoscaler.ScaleFromZero;
import dev.ebb.gateway.Gateway;
import dev.ebb.leadership.Leadership;
import dev.ebb.revision.RevisionStore;
import dev.ebb.runtime.Runtimes;
import dev.ebb.service.ServiceCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import dev.ebb.metrics.RequestHistory;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires cold-start records, their purge, the probe, and the warm requests that set the autoscaler's floors. */
@Configuration(proxyBeanMethods = false)
class ColdStartConfiguration {

    @Bean
    ColdStartStore coldStartStore(JdbcTemplate jdbc) {
        return new ColdStartStore(jdbc);
    }

    @Bean
    ProbeRequests probeRequests() {
        return new ProbeRequests();
    }

    @Bean(destroyMethod = "close")
    ColdStartRecorder coldStartRecorder(ColdStartStore store, Runtimes runtimes,
            ObjectProvider<ScaleFromZero> scaleFromZero, MeterRegistry meters, ProbeRequests probes, ColdStartProperties properties) {
        ColdStartRecorder recorder = new ColdStartRecorder(store, runtimes, scaleFromZero, meters, probes,
                properties.queueCapacity());
        recorder.start();
        return recorder;
    }

    @Bean
    ColdStartReport coldStartReport(ServiceCatalog catalog, ColdStartStore store, PlatformTransactionManager transactions) {
        // One snapshot for the page and the statistics, so that cold starts recorded meanwhile are in both or neither.
        TransactionTemplate snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        return new ColdStartReport(catalog, store, snapshot);
    }

    @Bean
    ColdStartSummaries coldStartSummaries(JdbcTemplate jdbc) {
        return new ColdStartSummaries(jdbc);
    }

    @Bean
    WarmStore warmStore(JdbcTemplate jdbc) {
        return new WarmStore(jdbc);
    }

    @Bean
    WarmFloors warmFloors(WarmStore store, Clock clock) {
        WarmFloors floors = new WarmFloors(store, clock);
        floors.refresh();
        return floors;
    }

    @Bean
    Warming warming(ServiceCatalog catalog, WarmStore store, AuditLog audit, Clock clock, ApplicationEventPublisher events) {
        return new Warming(catalog, store, audit, clock, events);
    }

    @Bean
    ColdStartProbe coldStartProbe(ServiceCatalog catalog, RevisionStore revisions, ObjectProvider<Autoscaler> autoscaler,
            Runtimes runtime, ObjectProvider<Gateway> gateway, AuditLog audit, ProbeRequests probes, RequestHistory requests,
            PlatformTransactionManager transactions, Clock clock) {
        return new ColdStartProbe(catalog, revisions, autoscaler, runtime, gateway, audit, probes, requests,
                new TransactionTemplate(transactions), clock);
    }

    @Bean(destroyMethod = "close")
    RetentionPurge coldStartRetentionPurge(ColdStartStore coldStarts, WarmStore warms, WarmFloors floors,
            ColdStartProperties properties, Clock clock, Leadership leadership) {
        RetentionPurge purge = new RetentionPurge(coldStarts, warms, floors, properties.retention(), properties.purgeInterval(),
                clock, leadership);
        purge.start();
        return purge;
    }
}
