package dev.ebb.gateway;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.RequestStats;
import java.util.HashMap;
import java.util.Map;

/**
 * What one event loop counted of one revision's requests through one host since the last sample: responses by
 * class or gateway code, latency histograms, bytes. Belongs to one event loop, like its {@link LoadMeter}, so it
 * is plain counters: recording a request is a handful of increments and no allocation.
 */
final class RequestTally {

    /** The gateway's own answers for a revision's requests, in the order of {@link #gateway}. */
    private static final int[] GATEWAY_CODES = {499, 502, 503, 504};
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    final String service;
    final String tag;
    /** Instance responses by status class: index 0 for 1xx to 4 for 5xx. */
    private final long[] responses = new long[CLASSES.length];
    private final long[] gateway = new long[GATEWAY_CODES.length];
    private Map<Integer, Long> otherGateway;
    private final Histo firstByte = new Histo();
    private final Histo lastByte = new Histo();
    private final Histo coldFirstByte = new Histo();
    private final Histo coldLastByte = new Histo();
    private final Histo coldWait = new Histo();
    private long requestBytes;
    private long responseBytes;
    private boolean counted;

    RequestTally(String service, String tag) {
        this.service = service;
        this.tag = tag == null ? "" : tag;
    }

    /** One latency histogram: counts per {@link LatencyBuckets} slot and their sum. */
    private static final class Histo {
        final long[] counts = new long[LatencyBuckets.SLOTS];
        long sumNanos;
        boolean any;

        void add(long nanos) {
            long clamped = Math.max(0, nanos);
            counts[LatencyBuckets.slot(clamped)]++;
            sumNanos += clamped;
            any = true;
        }

        RequestStats.Histogram take() {
            if (!any) {
                return null;
            }
            RequestStats.Histogram taken = new RequestStats.Histogram(counts, sumNanos / 1e9);
            java.util.Arrays.fill(counts, 0);
            sumNanos = 0;
            any = false;
            return taken;
        }
    }

    /**
     * A request ended.
     *
     * @param status the status the client got (0 when none went out before the client left)
     * @param byGateway the gateway made the answer (or none went out), not the instance
     * @param cold the request waited for its revision to come up from zero
     * @param timed its latencies count (a WebSocket session's do not)
     * @param firstByteNanos arrival to the first response byte, or a negative number when none went out
     * @param lastByteNanos arrival to the end
     * @param waitNanos arrival to being forwarded, for a cold request
     */
    void ended(int status, boolean byGateway, boolean cold, boolean timed, long firstByteNanos, long lastByteNanos,
            long waitNanos, long bytesIn, long bytesOut) {
        counted = true;
        if (byGateway) {
            countGateway(status == 0 ? 499 : status);
        } else {
            responses[Math.min(Math.max(status / 100, 1), 5) - 1]++;
        }
        requestBytes += bytesIn;
        responseBytes += bytesOut;
        if (!timed) {
            return;
        }
        if (cold) {
            if (firstByteNanos >= 0) {
                coldFirstByte.add(firstByteNanos);
            }
            coldLastByte.add(lastByteNanos);
            coldWait.add(waitNanos);
        } else {
            if (firstByteNanos >= 0) {
                firstByte.add(firstByteNanos);
            }
            lastByte.add(lastByteNanos);
        }
    }

    private void countGateway(int code) {
        for (int i = 0; i < GATEWAY_CODES.length; i++) {
            if (GATEWAY_CODES[i] == code) {
                gateway[i]++;
                return;
            }
        }
        if (otherGateway == null) {
            otherGateway = new HashMap<>();
        }
        otherGateway.merge(code, 1L, Long::sum);
    }

    /** What was counted since the last call, or null when nothing ended; starts counting afresh. */
    RequestStats take() {
        if (!counted) {
            return null;
        }
        counted = false;
        Map<String, Long> byClass = new HashMap<>();
        for (int i = 0; i < responses.length; i++) {
            if (responses[i] > 0) {
                byClass.put(CLASSES[i], responses[i]);
                responses[i] = 0;
            }
        }
        Map<String, Long> byCode = new HashMap<>();
        for (int i = 0; i < gateway.length; i++) {
            if (gateway[i] > 0) {
                byCode.put(Integer.toString(GATEWAY_CODES[i]), gateway[i]);
                gateway[i] = 0;
            }
        }
        if (otherGateway != null) {
            otherGateway.forEach((code, count) -> byCode.put(Integer.toString(code), count));
            otherGateway = null;
        }
        RequestStats stats = new RequestStats(service, tag, byClass, byCode, firstByte.take(), lastByte.take(),
                coldFirstByte.take(), coldLastByte.take(), coldWait.take(), requestBytes, responseBytes);
        requestBytes = 0;
        responseBytes = 0;
        return stats;
    }
}
