package dev.ebb.runtime.local;

import dev.ebb.EbbProperties;
import dev.ebb.revision.RevisionStore;
import dev.ebb.runtime.Reconciler;
import dev.ebb.service.ServiceCatalog;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the local runtime and its reconciler; {@code ebb.runtime.enabled=false} leaves revisions unstarted. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ebb.runtime.enabled", havingValue = "true", matchIfMissing = true)
class LocalRuntimeConfiguration {

    @Bean(destroyMethod = "close")
    LocalRuntime localRuntime(LocalRuntimeProperties properties, EbbProperties ebb, Clock clock) {
        LocalRuntime runtime = new LocalRuntime(properties, ebb.dataDir().resolve("runtime").toAbsolutePath(), clock);
        runtime.start();
        return runtime;
    }

    @Bean(destroyMethod = "close")
    Reconciler localReconciler(ServiceCatalog catalog, RevisionStore revisions, LocalRuntime runtime, Clock clock,
            ApplicationEventPublisher events) {
        Reconciler reconciler = new Reconciler(catalog, revisions, runtime, clock, events);
        reconciler.start();
        return reconciler;
    }
}
