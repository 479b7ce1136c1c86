package dev.ebb.gateway;

/**
 * The routing table the gateway serves with, replaced atomically by each newer snapshot. Requests read
 * it once, so a request is routed entirely by one snapshot.
 */
public final class RoutingState {

    private final GatewayDomains domains;
    private final RoutingTable.Loads loads = new RoutingTable.Loads();
    private final SnapshotFile file;
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

    /** The version of the snapshot being served, 0 before the first one. */
    public long version() {
        return table.version();
    }

    /**
     * Serves {@code snapshot} from now on if it is newer than the current one, and persists it.
     *
     * @return whether it was applied
     */
    public synchronized boolean apply(RoutingSnapshot snapshot) {
        if (snapshot.version() <= table.version()) {
            return false;
        }
        table = RoutingTable.compile(snapshot, domains, loads);
        if (file != null) {
            file.save(snapshot);
        }
        return true;
    }
}
