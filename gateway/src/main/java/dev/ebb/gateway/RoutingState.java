package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The routing table the gateway serves with, replaced atomically by each newer snapshot. Requests read
 * it once, so a request is routed entirely by one snapshot.
 */
public final class RoutingState {

    private final GatewayDomains domains;
    private final RoutingTable.Loads loads = new RoutingTable.Loads();
    private final SnapshotFile file;
    private final AtomicReference<RoutingSnapshot> unsaved = new AtomicReference<>();
    private final ExecutorService saver = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ebb-gateway-snapshot-file");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile RoutingTable table;

    /**
     * @param file where the last snapshot is persisted and read back at start, or null to keep nothing
     */
    public RoutingState(GatewayDomains domains, SnapshotFile file) {
        this.domains = domains;
        this.file = file;
        RoutingSnapshot persisted = file == null ? null : file.load();
        this.table = RoutingTable.compile(persisted == null ? RoutingSnapshot.empty() : persisted, domains, loads);
    }

    RoutingTable table() {
        return table;
    }

    /**
     * Runs {@code listener} after each snapshot is applied, on the thread that applied it; it must not block.
     * Held requests use it to look again for a ready instance.
     */
    void afterApply(Runnable listener) {
        listeners.add(listener);
    }

    /** The version of the snapshot being served, 0 before the first one. */
    public long version() {
        return table.version();
    }

    /**
     * Serves {@code snapshot} from now on if it is newer than the current one, and persists it in the
     * background: writing the file never delays routing, and a burst of snapshots writes only the last.
     *
     * @return whether it was applied
     */
    public synchronized boolean apply(RoutingSnapshot snapshot) {
        if (snapshot.version() <= table.version()) {
            return false;
        }
        table = RoutingTable.compile(snapshot, domains, loads);
        listeners.forEach(Runnable::run);
        if (file != null && unsaved.getAndSet(snapshot) == null) {
            saver.execute(() -> file.save(unsaved.getAndSet(null)));
        }
        return true;
    }
}
