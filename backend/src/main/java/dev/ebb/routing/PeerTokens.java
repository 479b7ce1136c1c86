package dev.ebb.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The tokens gateways present to the gateways of another cluster: derived from the secrets keys, the cluster's name
 * and the current rotation period, so every replica derives the same ones and nothing is stored. Each period brings a
 * new token; a cluster's gateways accept the tokens of the period before and after too (and of every configured key),
 * so that neither a gateway whose snapshot is a little behind nor a key rotation fails a forwarded request.
 */
final class PeerTokens {

    private final Function<String, List<String>> derive;
    private final Duration rotation;

    /** @param derive a label signed with each secrets key, the current key's first */
    PeerTokens(Function<String, List<String>> derive, Duration rotation) {
        if (rotation.isNegative() || rotation.isZero()) {
            throw new IllegalArgumentException("EBB_PEER_TOKEN_ROTATION must be positive, e.g. 6h");
        }
        this.derive = derive;
        this.rotation = rotation;
    }

    /** Which rotation period {@code now} is in: the tokens change when it does. */
    long period(Instant now) {
        return Math.floorDiv(now.toEpochMilli(), rotation.toMillis());
    }

    /** The token to send to {@code cluster}'s gateways in {@code period}. */
    String current(String cluster, long period) {
        return derive.apply(label(cluster, period)).get(0);
    }

    /** The tokens {@code cluster}'s gateways accept in {@code period}: the current one first. */
    List<String> accepted(String cluster, long period) {
        Set<String> accepted = new LinkedHashSet<>();
        for (long p : new long[] {period, period - 1, period + 1}) {
            accepted.addAll(derive.apply(label(cluster, p)));
        }
        return new ArrayList<>(accepted);
    }

    private static String label(String cluster, long period) {
        return "ebb-peer-token/" + cluster + "/" + period;
    }
}
