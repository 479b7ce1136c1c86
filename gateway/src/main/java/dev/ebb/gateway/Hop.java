package dev.ebb.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a request for a revision placed in several clusters goes, once the traffic split has chosen the revision: to
 * an instance here while one is ready; otherwise to the first other cluster (in the snapshot's order) that has a ready
 * instance and a reachable gateway; otherwise it is held here while the revision is placed here (its demand starts an
 * instance here); otherwise to the first other cluster with a reachable gateway, which holds it and starts the revision
 * there. Pure: the revision and the probes' findings are all it looks at.
 */
final class Hop {

    /** What becomes of the request: {@link #ADMIT}, a {@link RevisionRoute.Remote} to forward it to, or a {@link Refusal}. */
    sealed interface Choice permits Admit, RevisionRoute.Remote, Refusal {
    }

    /** Served here: by a ready instance, or held until one is. */
    enum Admit implements Choice {
        ADMIT
    }

    /** Answered by the gateway: no cluster can take the request. */
    record Refusal(int status, String slug, String title, String detail) implements Choice {
    }

    static final Admit ADMIT = Admit.ADMIT;

    private Hop() {
    }

    /** For a request that arrived from a client, on the internal or the public listener. */
    static Choice choose(RevisionRoute revision, PeerHealthView health) {
        if (!revision.atZero()) {
            return ADMIT;
        }
        RevisionRoute.Remote ready = readyElsewhere(revision, health, Set.of());
        if (ready != null) {
            return ready;
        }
        if (revision.placedHere()) {
            return ADMIT;
        }
        for (RevisionRoute.Remote remote : revision.remotes()) {
            if (remote.peer() != null && health.unreachable(remote.cluster()) == null) {
                return remote;
            }
        }
        return refusal(revision, health);
    }

    /**
     * The first other cluster with a ready instance whose gateway is reachable and not among {@code tried}: where a
     * held request goes when no instance here came up first, and where one goes when the cluster it went to failed.
     */
    static RevisionRoute.Remote readyElsewhere(RevisionRoute revision, PeerHealthView health, Set<String> tried) {
        for (RevisionRoute.Remote remote : revision.remotes()) {
            if (remote.ready() > 0 && remote.peer() != null && !tried.contains(remote.cluster())
                    && health.unreachable(remote.cluster()) == null) {
                return remote;
            }
        }
        return null;
    }

    /** For a request forwarded by a peer: served here, never forwarded again. */
    static Choice fromPeer(RevisionRoute revision) {
        if (revision != null && revision.listed() && (revision.placedHere() || !revision.atZero())) {
            return ADMIT;
        }
        String name = revision == null ? "the revision" : "Revision " + revision.namespace() + "/" + revision.name();
        return new Refusal(503, "not-in-this-cluster", "Service Unavailable", name + " does not run in this cluster; the"
                + " forwarding gateway routes with a placement this cluster's routing does not have yet, retry shortly.");
    }

    /** Why no cluster can take a request for a revision not placed here. */
    private static Refusal refusal(RevisionRoute revision, PeerHealthView health) {
        String name = "Revision " + revision.namespace() + "/" + revision.name();
        List<String> unregistered = new ArrayList<>();
        for (RevisionRoute.Remote remote : revision.remotes()) {
            String failure = remote.peer() == null ? null : health.unreachable(remote.cluster());
            if (failure != null) {
                return unreachable(revision, remote.cluster(), failure);
            }
            unregistered.add(remote.cluster());
        }
        if (unregistered.isEmpty()) {
            return new Refusal(503, "not-placed", "Service Unavailable", name + " is placed in no cluster; place it in one"
                    + " (this gateway's cluster or another) to serve it.");
        }
        return new Refusal(503, "no-peer", "Service Unavailable", name + " runs only in cluster" + (unregistered.size() > 1 ? "s " : " ")
                + String.join(", ", unregistered) + ", whose gateway address is not registered; register the cluster's"
                + " gateway address with the control plane.");
    }

    /** The gateway of {@code cluster}, where the request had to go, cannot be reached. */
    static Refusal unreachable(RevisionRoute revision, String cluster, String cause) {
        return new Refusal(502, "peer-unreachable", "Bad Gateway", "Revision " + revision.namespace() + "/" + revision.name()
                + " runs in cluster " + cluster + ", whose gateway cannot be reached: " + cause + ".");
    }
}
