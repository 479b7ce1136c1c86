package dev.ebb.gateway;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-plane replicas a separate gateway may talk to, and the one it talks to now: the leader, as far as it
 * knows. Each configured URL counts once per address its name resolves to (a Kubernetes headless Service names every
 * replica), so that one URL can stand for all of them. A replica that follows (503 {@code not-the-leader}) or cannot be
 * reached is passed over for the next; after the last, the names are resolved again. The routing feed and the load
 * reports share one, so that both go to the replica that answered as the leader.
 */
public final class ControlPlanes {

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private static final Logger log = LoggerFactory.getLogger(ControlPlanes.class);

    private final List<URI> configured;
    private final Resolver resolver;
    private List<String> candidates;
    private int index;

    public ControlPlanes(List<URI> configured) {
        this(configured, host -> List.of(InetAddress.getAllByName(host)));
    }

    ControlPlanes(List<URI> configured, Resolver resolver) {
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("no control-plane URL: set EBB_GATEWAY_CONTROL_PLANE_URL");
        }
        this.configured = List.copyOf(configured);
        this.resolver = resolver;
        this.candidates = expand(this.configured, resolver);
    }

    /** The base URL (no trailing slash) to send the next request to. */
    public synchronized String current() {
        return candidates.get(index);
    }

    /** Every base URL it may try, in order. */
    public synchronized List<String> candidates() {
        return candidates;
    }

    /**
     * {@code base} did not answer as the leader: the next request goes to the next replica (or, after the last, to the
     * first of the names resolved again). A no-op when another caller passed it over already.
     */
    public synchronized void passOver(String base) {
        if (!base.equals(candidates.get(index))) {
            return;
        }
        index++;
        if (index >= candidates.size()) {
            List<String> again = expand(configured, resolver);
            if (!again.equals(candidates)) {
                log.info("Control-plane replicas now {}", again);
            }
            candidates = again;
            index = 0;
        }
    }

    /**
     * The base URLs for {@code configured}: an {@code http} URL once per address of its host, an {@code https} one as it
     * is (its certificate names the host, not an address), a name that does not resolve as it is (to fail, and be
     * resolved again, later).
     */
    static List<String> expand(List<URI> configured, Resolver resolver) {
        List<String> bases = new ArrayList<>();
        for (URI url : configured) {
            String base = url.toString().replaceAll("/+$", "");
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                bases.add(base);
                continue;
            }
            List<InetAddress> addresses;
            try {
                addresses = resolver.resolve(url.getHost());
            } catch (UnknownHostException e) {
                addresses = List.of();
            }
            if (addresses.size() <= 1) {
                bases.add(base);
                continue;
            }
            for (InetAddress address : addresses) {
                String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
                String port = url.getPort() < 0 ? "" : ":" + url.getPort();
                String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
                bases.add(url.getScheme() + "://" + host + port + path);
            }
        }
        return List.copyOf(bases);
    }
}
