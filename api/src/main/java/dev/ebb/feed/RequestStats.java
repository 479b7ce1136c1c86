package dev.ebb.feed;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The requests of one revision that came through one host (the service's own, or one of its tags') and ended in one
 * report's interval, as a gateway saw them from the client's side. Responses made by the instance are counted apart
 * from those the gateway made itself (502 unreachable, 503 no instance or queue full, 504 timed out, 499 the client
 * left before any response). Latencies run from the request's arrival; a request that waited for its revision to come
 * up from zero is "cold" and counted in the cold histograms only, so warm ones can be read alone. A WebSocket session is
 * counted by its handshake's answer but kept out of the latencies, which it would only stretch.
 *
 * @param service the revision's service
 * @param tag the tag whose host the requests came to; empty for the service's own host
 * @param responses the instance's responses by status class ({@code "2xx"}, {@code "5xx"}, ...)
 * @param gatewayResponses the gateway's own answers by status code ({@code "503"}, ...)
 * @param firstByte warm requests: arrival to the first response byte
 * @param lastByte warm requests: arrival to the last response byte
 * @param coldFirstByte cold requests: arrival to the first response byte
 * @param coldLastByte cold requests: arrival to the last response byte
 * @param coldWait cold requests: arrival to being forwarded to the instance that came up
 * @param requestBytes request body bytes read from the clients
 * @param responseBytes response body bytes written to the clients
 */
public record RequestStats(String service, String tag, Map<String, Long> responses, Map<String, Long> gatewayResponses,
        Histogram firstByte, Histogram lastByte, Histogram coldFirstByte, Histogram coldLastByte, Histogram coldWait,
        long requestBytes, long responseBytes) {

    public RequestStats {
        tag = tag == null ? "" : tag;
        responses = responses == null ? Map.of() : Map.copyOf(responses);
        gatewayResponses = gatewayResponses == null ? Map.of() : Map.copyOf(gatewayResponses);
        firstByte = Histogram.orEmpty(firstByte);
        lastByte = Histogram.orEmpty(lastByte);
        coldFirstByte = Histogram.orEmpty(coldFirstByte);
        coldLastByte = Histogram.orEmpty(coldLastByte);
        coldWait = Histogram.orEmpty(coldWait);
    }

    /** How many requests ended, whoever answered them. */
    public long requests() {
        long total = 0;
        for (long count : responses.values()) {
            total += count;
        }
        for (long count : gatewayResponses.values()) {
            total += count;
        }
        return total;
    }

    /** These requests and {@code other}'s, added up (the service and tag are this one's). */
    public RequestStats plus(RequestStats other) {
        return new RequestStats(service, tag, add(responses, other.responses), add(gatewayResponses, other.gatewayResponses),
                firstByte.plus(other.firstByte), lastByte.plus(other.lastByte), coldFirstByte.plus(other.coldFirstByte),
                coldLastByte.plus(other.coldLastByte), coldWait.plus(other.coldWait), requestBytes + other.requestBytes,
                responseBytes + other.responseBytes);
    }

    private static Map<String, Long> add(Map<String, Long> a, Map<String, Long> b) {
        if (b.isEmpty()) {
            return a;
        }
        Map<String, Long> sum = new HashMap<>(a);
        b.forEach((key, count) -> sum.merge(key, count, Long::sum));
        return sum;
    }

    /**
     * Latencies counted per {@link LatencyBuckets} slot.
     *
     * @param counts one count per slot, {@link LatencyBuckets#SLOTS} of them (or none, for an empty histogram)
     * @param sumSeconds the latencies added up
     */
    public record Histogram(long[] counts, double sumSeconds) {

        static final Histogram EMPTY = new Histogram(new long[0], 0);

        public Histogram {
            counts = counts == null ? new long[0] : counts.clone();
            if (counts.length != 0 && counts.length != LatencyBuckets.SLOTS) {
                throw new IllegalArgumentException("a histogram has " + LatencyBuckets.SLOTS + " counts, not " + counts.length);
            }
        }

        static Histogram orEmpty(Histogram histogram) {
            return histogram == null ? EMPTY : histogram;
        }

        /** Both histograms' counts added up. */
        public Histogram plus(Histogram other) {
            if (other.counts.length == 0) {
                return this;
            }
            if (counts.length == 0) {
                return other;
            }
            long[] sum = counts.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.counts[i];
            }
            return new Histogram(sum, sumSeconds + other.sumSeconds);
        }

        /** The count of {@code slot}. */
        public long count(int slot) {
            return counts.length == 0 ? 0 : counts[slot];
        }

        public long total() {
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            return total;
        }

        @Override
        public long[] counts() {
            return counts.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Histogram h && Arrays.equals(counts, h.counts) && sumSeconds == h.sumSeconds;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(counts) + Double.hashCode(sumSeconds);
        }

        @Override
        public String toString() {
            return "Histogram" + Arrays.toString(counts) + " sum " + sumSeconds;
        }
    }
}
