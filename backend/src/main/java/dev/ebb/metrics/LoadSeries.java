package dev.ebb.metrics;

/**
 * A ring buffer of one revision's points: at most one per step (a later point in the same step replaces the earlier,
 * since the autoscaler may decide several times a second), at most {@code capacity} of them, none older than
 * {@code keepMs} behind the newest. Memory is fixed at creation. Thread-safe.
 */
final class LoadSeries {

    /** Points oldest first, in arrays of equal length. */
    record Points(long[] t, int[] desired, int[] ready, double[] sample) {

        int size() {
            return t.length;
        }
    }

    private final long stepMs;
    private final long keepMs;
    private final long[] t;
    private final int[] desired;
    private final int[] ready;
    private final double[] sample;
    /** The index of the oldest point. */
    private int head;
    private int size;

    LoadSeries(int capacity, long stepMs, long keepMs) {
        this.stepMs = stepMs;
        this.keepMs = keepMs;
        this.t = new long[capacity];
        this.desired = new int[capacity];
        this.ready = new int[capacity];
        this.sample = new double[capacity];
    }

    synchronized void add(long atMs, int desiredNow, int readyNow, double sampleNow) {
        int slot;
        if (size > 0 && Math.floorDiv(t[index(size - 1)], stepMs) == Math.floorDiv(atMs, stepMs)) {
            slot = index(size - 1);
        } else if (size > 0 && atMs < t[index(size - 1)]) {
            // The clock went back: keep the order oldest first rather than a point out of place.
            return;
        } else {
            if (size == t.length) {
                head = index(1);
                size--;
            }
            slot = index(size);
            size++;
        }
        t[slot] = atMs;
        desired[slot] = desiredNow;
        ready[slot] = readyNow;
        sample[slot] = sampleNow;
        while (size > 0 && t[head] < atMs - keepMs) {
            head = index(1);
            size--;
        }
    }

    /** The points at or after {@code sinceMs} that are not older than {@code keepMs} before {@code nowMs}. */
    synchronized Points since(long sinceMs, long nowMs) {
        long from = Math.max(sinceMs, nowMs - keepMs);
        int skip = 0;
        while (skip < size && t[index(skip)] < from) {
            skip++;
        }
        int n = size - skip;
        Points points = new Points(new long[n], new int[n], new int[n], new double[n]);
        for (int i = 0; i < n; i++) {
            int at = index(skip + i);
            points.t()[i] = t[at];
            points.desired()[i] = desired[at];
            points.ready()[i] = ready[at];
            points.sample()[i] = sample[at];
        }
        return points;
    }

    /** The time of the newest point, or {@link Long#MIN_VALUE} when there is none. */
    synchronized long newest() {
        return size == 0 ? Long.MIN_VALUE : t[index(size - 1)];
    }

    synchronized int size() {
        return size;
    }

    private int index(int offset) {
        return (head + offset) % t.length;
    }
}
