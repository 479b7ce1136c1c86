package dev.ebb.service;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The services that changed since a background worker last looked, worked through in batches. The first
 * batch, and the first after {@link #everything()}, names every stored service, so a worker that starts
 * or recovers from a failure catches up with all of them.
 */
public final class ChangedServices {

    private final Supplier<List<ServiceName>> all;
    private final Set<ServiceName> changed = ConcurrentHashMap.newKeySet();
    private volatile boolean everything = true;

    public ChangedServices(Supplier<List<ServiceName>> all) {
        this.all = all;
    }

    public void add(ServiceChanged event) {
        changed.add(new ServiceName(event.namespace(), event.name()));
    }

    /** The next batch asks for every service again. */
    public void everything() {
        everything = true;
    }

    /** The services changed since the last batch; empty when nothing changed. */
    public Set<ServiceName> drain() {
        if (everything) {
            everything = false;
            changed.addAll(all.get());
        }
        Set<ServiceName> batch = new LinkedHashSet<>(changed);
        changed.removeAll(batch);
        return batch;
    }
}
