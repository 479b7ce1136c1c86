package dev.ebb.audit;

import dev.ebb.EbbProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the publication of the audit chain's head. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    /** @param interval how often the head is published when it moved ({@code ebb.audit.checkpoint-interval}, 60 s) */
    @Bean(initMethod = "start", destroyMethod = "close")
    AuditCheckpoints auditCheckpoints(AuditLog audit, EbbProperties ebb, Clock clock,
            @Value("${ebb.audit.checkpoint-interval:60s}") Duration interval) {
        return new AuditCheckpoints(audit, ebb.dataDir().resolve("audit").toAbsolutePath(), clock, interval);
    }
}
