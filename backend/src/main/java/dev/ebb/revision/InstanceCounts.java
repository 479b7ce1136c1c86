package dev.ebb.revision;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How many instances of a revision the runtime wants and how many are ready. The runtime implements it;
 * without a runtime, revisions have no instances to report.
 */
public interface InstanceCounts {

    Optional<Instances> of(String namespace, String revision);

    /**
     * A revision's instances now.
     *
     * @param averageConcurrency requests in flight or waiting for it, averaged over the autoscaler's panic window
     * @param excessBurstCapacity what the ready instances can take at once beyond that load and the target burst capacity
     *     (Knative's excess burst capacity): negative keeps the gateway in the request path
     * @param gatewayInPath whether the gateway buffers the revision's requests while no instance has room (Knative's
     *     activator in the path); false when they go straight to its instances
     * @param items each instance the runtime runs (a process, a pod), ready or not
     */
    record Instances(int desired, int ready, double averageConcurrency, double excessBurstCapacity, boolean gatewayInPath,
            List<Instance> items) {

        public static final Instances NONE = new Instances(0, 0, 0, List.of());

        /** Instances nobody autoscales: no load known, and the gateway buffers their requests. */
        public Instances(int desired, int ready, double averageConcurrency, List<Instance> items) {
            this(desired, ready, averageConcurrency, -1, true, items);
        }

        public Instances {
            items = items == null ? List.of() : List.copyOf(items);
        }

        /** How often its instances restarted after exiting, all together. */
        @JsonProperty
        public int restarts() {
            return items.stream().mapToInt(Instance::restarts).sum();
        }

        /** The soonest restart of an instance that exited and waits out its back-off, null when none waits. */
        @JsonProperty
        public Instant nextRestart() {
            return items.stream().map(Instance::nextRestart).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
        }

        public Instances withLoad(RevisionLoad.Load load) {
            return new Instances(desired, ready, Math.round(load.averageConcurrency() * 100) / 100.0, load.excessBurstCapacity(),
                    load.gatewayInPath(), items);
        }
    }

    /**
     * One instance of a revision.
     *
     * @param name the process's instance id, or the pod's name
     * @param node where it runs: {@code local}, or the pod's node (null while no node has it)
     * @param ip its address, null before it has one
     * @param restarts how often its container restarted (a local process that exits is replaced by a new instance: 0)
     * @param started when its current run started, null before it has (or while it waits to start again)
     * @param nextRestart when an instance that exited starts again after its back-off, null while it runs
     */
    record Instance(String name, String node, String ip, boolean ready, int restarts, Instant started, Instant nextRestart) {

        public Instance(String name, String node, String ip, boolean ready, int restarts, Instant started) {
            this(name, node, ip, ready, restarts, started, null);
        }
    }
}
