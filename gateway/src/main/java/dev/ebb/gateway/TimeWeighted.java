package dev.ebb.gateway;

/**
 * A count of open requests integrated over time, so that its average over any interval is exact rather
 * than sampled: a burst that comes and goes between two reports still shows. The cumulative area is
 * {@code A(t) = closedArea + open * t - openStartSum} and the area of an interval is {@code A(b) - A(a)}.
 *
 * <p>Times are {@link System#nanoTime()} values. The arithmetic wraps like {@code nanoTime} itself does:
 * every term may overflow, yet a difference of two areas is exact as long as it fits in a long (it does
 * for 10,000 open requests over 10 days). Not thread-safe: each instance belongs to one event loop.
 */
final class TimeWeighted {

    private long open;
    private long openStartSum;
    private long closedArea;
    private long markTime;
    private long markArea;

    /** @param now where the first interval starts */
    TimeWeighted(long now) {
        this.markTime = now;
    }

    void open(long now) {
        open++;
        openStartSum += now;
    }

    void close(long openedAt, long now) {
        open--;
        openStartSum -= openedAt;
        closedArea += now - openedAt;
    }

    /** How many are open now. */
    long open() {
        return open;
    }

    /** The cumulative area up to {@code now}, in count-nanoseconds; only differences are meaningful. */
    long area(long now) {
        return closedArea + open * now - openStartSum;
    }

    /** The area since the last call (or since construction) up to {@code now}, which becomes the next interval's start. */
    long takeArea(long now) {
        long area = area(now);
        long interval = area - markArea;
        markArea = area;
        markTime = now;
        return interval;
    }

    /** The average count since the last mark up to {@code now}, which becomes the next mark; 0 for an empty interval. */
    double takeAverage(long now) {
        long elapsed = now - markTime;
        long interval = takeArea(now);
        return elapsed <= 0 ? 0 : (double) interval / elapsed;
    }
}
