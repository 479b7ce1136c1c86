package dev.ebb.runtime.local;

import dev.ebb.EbbProperties;
import dev.ebb.runtime.Runtimes;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the local runtime as the cluster {@code local}; {@code ebb.runtime.enabled=false} leaves revisions unstarted,
 * {@code ebb.runtime.local.enabled=false} (EBB_RUNTIME_LOCAL_ENABLED) runs no child processes, as in a control-plane
 * pod whose revisions run on Kubernetes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ebb.runtime.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnProperty(name = "ebb.runtime.local.enabled", havingValue = "true", matchIfMissing = true)
class LocalRuntimeConfiguration {

    /**
     * @param directory where instances get their working directories and the list of running processes lives;
     *     {@code <data dir>/runtime} unless {@code ebb.runtime.local.directory} says otherwise. Two Ebbs must not share
     *     one: each adopts or stops the processes it finds listed there on start-up, as left over from an earlier run.
     */
    @Bean(destroyMethod = "close")
    LocalRuntime localRuntime(LocalRuntimeProperties properties, EbbProperties ebb, Clock clock,
            @Value("${ebb.runtime.local.directory:}") String directory) {
        Path workDirectory = directory.isBlank() ? ebb.dataDir().resolve("runtime") : Path.of(directory);
        LocalRuntime runtime = new LocalRuntime(properties, workDirectory.toAbsolutePath(), clock);
        runtime.start();
        return runtime;
    }

    /** The local cluster among the runtimes; it leaves them (its reconciler stops) before the runtime itself stops. */
    @Bean(destroyMethod = "close")
    Runtimes.Membership localCluster(Runtimes runtimes, LocalRuntime runtime) {
        return runtimes.add(runtime);
    }
}
