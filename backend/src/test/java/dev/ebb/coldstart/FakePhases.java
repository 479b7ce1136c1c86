package dev.ebb.coldstart;

import dev.ebb.autoscaler.ScaleFromZero;
import dev.ebb.runtime.Endpoint;
import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.runtime.RuntimeDriver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A runtime and an autoscaler that report what a test tells them, so that a cold start's "instance
 * started", "instance ready" and "scale requested" phases are known without running processes.
 */
@TestConfiguration(proxyBeanMethods = false)
class FakePhases {

    /** Instances and scale requests that tests set, by namespace and revision. */
    static final class Facts implements RuntimeDriver, ScaleFromZero {

        private final Map<RevisionKey, List<Endpoint>> endpoints = new ConcurrentHashMap<>();
        private final Map<String, Instant> requested = new ConcurrentHashMap<>();
        private final AtomicLong changes = new AtomicLong();

        void instance(RevisionKey revision, Endpoint endpoint) {
            endpoints.put(revision, List.of(endpoint));
            changes.incrementAndGet();
        }

        void scaleRequested(String namespace, String revision, Instant at) {
            requested.put(namespace + "/" + revision, at);
        }

        @Override
        public String cluster() {
            return "fake";
        }

        @Override
        public void apply(List<RevisionDeployment> desired) {
        }

        @Override
        public List<RevisionObservation> observe() {
            return endpoints.entrySet().stream()
                    .map(e -> new RevisionObservation(e.getKey(), 1, 1, "True", null, null, e.getValue()))
                    .toList();
        }

        @Override
        public long changes() {
            return changes.get();
        }

        @Override
        public Optional<Instant> lastRequested(String namespace, String revision) {
            return Optional.ofNullable(requested.get(namespace + "/" + revision));
        }
    }

    @Bean
    @Primary
    Facts fakePhases() {
        return new Facts();
    }
}
