package dev.ebb.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's access log: one line per request ({@link AccessLineFormat}), switched by the level of the logger
 * {@code ebb.gateway.access} but not written through Logback. Each event loop formats its lines as bytes into a buffer
 * of its own ({@link Loop}); one writer thread swaps each loop's full buffer for its empty one every few milliseconds
 * (less often while there is nothing to write) and writes it out. The event loop thus builds no String and no logging
 * event and shares no lock with the other event loops; the lock it takes is its own, which the writer holds only for
 * the swap. When the writer falls behind (standard output blocked), a loop's buffer stops growing at its capacity and
 * further lines are dropped and counted, never waited for; the count is written once the writer catches up. Lines from
 * one event loop keep their order; those of different loops are written a buffer at a time.
 */
final class AccessLog implements AutoCloseable {

    /** What a loop's buffer holds at most before lines are dropped: well over a second of lines at full load. */
    static final int DEFAULT_CAPACITY = 4 << 20;
    private static final Logger switchedBy = LoggerFactory.getLogger("ebb.gateway.access");
    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * How long the writer sleeps at most once rounds find nothing to write (the access log off, or no traffic): each
     * empty round doubles the pause from {@link #INTERVAL_NANOS} up to this, so that an idle gateway's writer wakes a few
     * times a second rather than a hundred, and a round that writes goes back to the short pause. At full load a loop
     * fills well under its capacity in this time.
     */
    private static final long IDLE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(160);
    private static final long CLOSE_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final OutputStream out;
    private final int capacity;
    private final List<Loop> loops = new CopyOnWriteArrayList<>();
    /** The writer's own, for the dropped-lines lines. */
    private final AccessLineFormat format = new AccessLineFormat();
    private final LineBytes droppedLine = new LineBytes(128);
    private final Thread writer;
    private volatile boolean closing;
    private boolean failing;

    private AccessLog(OutputStream out, int capacity) {
        this.out = out;
        this.capacity = capacity;
        this.writer = new Thread(this::writeUntilClosed, "ebb-access-log");
        writer.setDaemon(true);
    }

    /**
     * Starts the writer thread.
     *
     * @param out where the lines go, from the writer thread only; standard output in production
     * @param capacity how many bytes of lines each event loop may have waiting before it drops lines
     */
    static AccessLog start(OutputStream out, int capacity) {
        AccessLog accessLog = new AccessLog(out, capacity);
        accessLog.writer.start();
        return accessLog;
    }

    /** Whether requests are logged now: the logger's level, a field read for Logback without turbo filters. */
    static boolean enabled() {
        return switchedBy.isInfoEnabled();
    }

    /** A buffer for one event loop, which alone may call its {@link Loop#request}. */
    Loop loop() {
        Loop loop = new Loop(capacity);
        loops.add(loop);
        return loop;
    }

    /** Writes every line logged so far and stops the writer. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeUntilClosed() {
        long pause = INTERVAL_NANOS;
        while (true) {
            boolean last = closing;
            boolean wrote = writeAll();
            if (last) {
                return;
            }
            pause = wrote ? INTERVAL_NANOS : Math.min(IDLE_INTERVAL_NANOS, pause * 2);
            LockSupport.parkNanos(this, pause);
        }
    }

    /** Writes what every loop has waiting; whether there was anything. */
    private boolean writeAll() {
        boolean wrote = false;
        for (Loop loop : loops) {
            wrote |= write(loop);
        }
        if (wrote) {
            try {
                out.flush();
            } catch (IOException e) {
                failed(e);
            }
        }
        return wrote;
    }

    /** Takes the loop's lines and writes them, then how many it dropped, if any. */
    private boolean write(Loop loop) {
        long dropped = loop.swap();
        LineBytes lines = loop.taken;
        if (lines.size() == 0 && dropped == 0) {
            return false;
        }
        try {
            lines.writeTo(out);
            if (dropped > 0) {
                droppedLine.clear();
                format.dropped(droppedLine, System.currentTimeMillis(), dropped);
                droppedLine.writeTo(out);
            }
            failing = false;
        } catch (IOException e) {
            failed(e);
        } finally {
            lines.clear();
        }
        return true;
    }

    private void failed(IOException e) {
        if (!failing) {
            failing = true;
            log.warn("Access lines are lost: cannot write them: {}", e.getMessage());
        }
    }

    /**
     * One event loop's lines. The event loop appends to {@code filling}; the writer swaps it for {@code taken}
     * (which it has emptied) under this object's lock, then writes {@code taken} without it.
     */
    static final class Loop {

        private final int capacity;
        private final AccessLineFormat format = new AccessLineFormat();
        private LineBytes filling;
        private long dropped;
        /** The writer's, between swaps. */
        private LineBytes taken;

        private Loop(int capacity) {
            this.capacity = capacity;
            int initial = Math.min(capacity, 64 << 10);
            this.filling = new LineBytes(initial);
            this.taken = new LineBytes(initial);
        }

        /** Appends one request's line, or counts it as dropped when the writer is this far behind. */
        void request(String requestId, String host, int port, String method, String path, int status, String revision,
                String instance, long durationMillis, long bytes) {
            long now = System.currentTimeMillis();
            synchronized (this) {
                if (filling.size() >= capacity) {
                    dropped++;
                    return;
                }
                format.request(filling, now, requestId, host, port, method, path, status, revision, instance, durationMillis, bytes);
            }
        }

        /** Hands the lines so far to the writer as {@link #taken}; returns how many lines were dropped since. */
        private synchronized long swap() {
            LineBytes full = filling;
            filling = taken;
            taken = full;
            long count = dropped;
            dropped = 0;
            return count;
        }
    }
}
