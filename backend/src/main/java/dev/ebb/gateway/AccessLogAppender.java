package dev.ebb.gateway;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the gateway's access lines ({@code timestamp ebb.gateway.access message}) to standard output from one
 * thread of its own, many lines per write. Logback's console appender behind an AsyncAppender cost the gateway
 * about 0.16 CPU-s per 10,000 requests in bench/gateway (a write call per line, Spring's console pattern, a
 * wake-up of the worker per line); here the event loop only adds the event to a bounded queue, and the writer
 * looks at the queue every few milliseconds instead of being woken for each line. When the queue is full, lines
 * are dropped (and counted) rather than slowing requests down. Public only because logback instantiates it.
 */
public final class AccessLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int BATCH = 4096;

    private int queueSize = 65_536;
    private ArrayBlockingQueue<ILoggingEvent> queue;
    private PrintStream out = System.out;
    private volatile boolean running;
    private Thread writer;
    private final AtomicLong dropped = new AtomicLong();

    /** How many lines may wait for the writer; more are dropped. */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    /** Where the lines go; standard output unless a test says otherwise. */
    void setOut(PrintStream out) {
        this.out = out;
    }

    @Override
    public void start() {
        queue = new ArrayBlockingQueue<>(Math.max(1, queueSize));
        running = true;
        writer = new Thread(this::writeUntilStopped, "ebb-access-log");
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder(256 * 64);
        Timestamps timestamps = new Timestamps();
        while (true) {
            boolean stopping = !running;
            queue.drainTo(batch, BATCH);
            if (batch.isEmpty()) {
                if (stopping) {
                    return;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            for (ILoggingEvent event : batch) {
                timestamps.append(text, event.getTimeStamp());
                text.append(" ebb.gateway.access ").append(event.getFormattedMessage()).append('\n');
            }
            batch.clear();
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                timestamps.append(text, System.currentTimeMillis());
                text.append(" ebb.gateway.access dropped=").append(lost).append(" (queue full)\n");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            text.setLength(0);
            out.write(bytes, 0, bytes.length);
            out.flush();
        }
    }

    /** ISO-8601 UTC timestamps to the millisecond, formatting each second's prefix once. */
    private static final class Timestamps {
        private long second = Long.MIN_VALUE;
        private String prefix;

        void append(StringBuilder to, long epochMillis) {
            long s = Math.floorDiv(epochMillis, 1000);
            if (s != second) {
                second = s;
                String full = Instant.ofEpochSecond(s).toString();
                prefix = full.substring(0, full.length() - 1) + ".";
            }
            int millis = Math.floorMod(epochMillis, 1000);
            to.append(prefix).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                    .append((char) ('0' + millis % 10)).append('Z');
        }
    }
}
