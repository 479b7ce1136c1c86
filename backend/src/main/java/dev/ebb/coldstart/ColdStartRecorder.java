package dev.ebb.coldstart;

import dev.ebb.autoscaler.ScaleFromZero;
import dev.ebb.background.Ticker;
import dev.ebb.feed.ColdStart;
import dev.ebb.runtime.Endpoint;
import dev.ebb.runtime.Runtimes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Takes the cold starts the gateway reports and stores them in the background. {@link #record} adds the
 * runtime's and the autoscaler's phases (two map lookups) and puts the record on a bounded queue, because
 * the gateway calls it from its event loops; a writer thread counts the wait in the
 * {@code ebb_cold_start_seconds} histogram and inserts the batch.
 */
public class ColdStartRecorder implements AutoCloseable {

    static final String METRIC = "ebb.cold.start";

    private static final Logger log = LoggerFactory.getLogger(ColdStartRecorder.class);
    private static final Duration TICK = Duration.ofMillis(200);
    private static final int BATCH = 500;
    private static final Duration[] SLO_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final ColdStartStore store;
    private final Runtimes runtimes;
    private final ObjectProvider<ScaleFromZero> scaleFromZero;
    private final MeterRegistry meters;
    private final ProbeRequests probes;
    private final BlockingQueue<ColdStartRecord> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Ticker ticker;
    /** Records whose insert failed, tried once more on the next round before they are given up. */
    private final List<ColdStartRecord> retry = new ArrayList<>();
    private final int capacity;

    ColdStartRecorder(ColdStartStore store, Runtimes runtimes, ObjectProvider<ScaleFromZero> scaleFromZero,
            MeterRegistry meters, ProbeRequests probes, int capacity) {
        this.store = store;
        this.probes = probes;
        this.runtimes = runtimes;
        this.scaleFromZero = scaleFromZero;
        this.meters = meters;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.ticker = new Ticker("ebb-cold-starts", TICK, this::round, e -> log.warn("Storing cold starts failed", e));
    }

    /**
     * Records a cold start. Returns at once and never throws: a report without an arrival time is ignored,
     * and when the queue is full (the database is far behind) the report is dropped and counted.
     */
    public void record(ColdStart coldStart) {
        try {
            if (coldStart == null || coldStart.arrived() == null) {
                return;
            }
            if (!queue.offer(recordOf(coldStart))) {
                dropped.incrementAndGet();
            }
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Records a cold start and stores it before returning, for a caller that can wait and send it again when this
     * fails (a separate gateway's post): what it was told was taken is in the database. Throws when the record cannot
     * be stored; one without an arrival time is ignored.
     */
    public void store(ColdStart coldStart) {
        store(coldStart == null ? List.of() : List.of(coldStart));
    }

    /**
     * Stores several cold starts in one batch of statements before returning, as {@link #store(ColdStart)} stores one; one
     * stored already (a post sent again) is not stored twice.
     */
    public void store(List<ColdStart> coldStarts) {
        List<ColdStartRecord> records = coldStarts.stream().filter(c -> c != null && c.arrived() != null).map(this::recordOf).toList();
        if (records.isEmpty()) {
            return;
        }
        store.insertAll(records);
        records.forEach(this::count);
    }

    /** The report with the runtime's and the autoscaler's phases added. */
    private ColdStartRecord recordOf(ColdStart coldStart) {
        ScaleFromZero scaler = scaleFromZero.getIfUnique(() -> ScaleFromZero.NONE);
        return ColdStartPhases.of(coldStart, endpoint(coldStart), lastRequested(scaler, coldStart), probes.sentBy(coldStart.requestId()));
    }

    void start() {
        ticker.start();
    }

    /** Stops the writer and stores what is still queued. */
    @Override
    public void close() {
        ticker.close();
        try {
            round();
        } catch (RuntimeException e) {
            log.warn("Could not store the last {} cold starts at shutdown", queue.size() + retry.size(), e);
        }
    }

    private void round() {
        if (!retry.isEmpty()) {
            List<ColdStartRecord> again = List.copyOf(retry);
            retry.clear();
            insert(again, false);
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            log.warn("Dropped {} cold-start reports: the queue was full", lost);
        }
        List<ColdStartRecord> batch = new ArrayList<>();
        while (queue.drainTo(batch, BATCH) > 0) {
            batch.forEach(this::count);
            insert(List.copyOf(batch), true);
            batch.clear();
        }
    }

    private void insert(List<ColdStartRecord> records, boolean retryOnFailure) {
        try {
            store.insertAll(records);
        } catch (RuntimeException e) {
            if (retryOnFailure && retry.size() + records.size() <= capacity) {
                retry.addAll(records);
                log.warn("Storing {} cold starts failed; trying once more", records.size(), e);
            } else {
                log.warn("Storing {} cold starts failed; they are lost", records.size(), e);
            }
        }
    }

    /**
     * The instance's start and ready times, as the runtime shows them now or showed them while the instance was ready: by
     * the time the report comes the instance may be stopping already (a probe takes the revision to zero right after) or
     * gone. A runtime that fails to answer costs the record its instance phases, not the record.
     */
    private Endpoint endpoint(ColdStart coldStart) {
        try {
            return runtimes.endpoint(coldStart.namespace(), coldStart.revision(), coldStart.instance()).orElse(null);
        } catch (RuntimeException e) {
            log.debug("Could not read the start time of {} for a cold start: {}", coldStart.instance(), e.toString());
            return null;
        }
    }

    private static Instant lastRequested(ScaleFromZero scaler, ColdStart coldStart) {
        try {
            return scaler.lastRequested(coldStart.namespace(), coldStart.revision()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Counts a user's cold start in the SLO histogram; the probe's stay out of it. */
    private void count(ColdStartRecord record) {
        Long total = record.totalMs();
        if (total == null || record.probe()) {
            return;
        }
        try {
            histogram(record).record(Duration.ofMillis(Math.max(0, total)));
        } catch (RuntimeException e) {
            log.warn("Could not count a cold start of {}/{} in the histogram", record.namespace(), record.revision(), e);
        }
    }

    private Timer histogram(ColdStartRecord record) {
        return Timer.builder(METRIC)
                .description("How long requests waited for a revision at zero, from arrival to the first byte of the response")
                .tag("namespace", Objects.toString(record.namespace(), ""))
                .tag("service", Objects.toString(record.service(), ""))
                .tag("revision", Objects.toString(record.revision(), ""))
                .publishPercentileHistogram()
                .serviceLevelObjectives(SLO_BUCKETS)
                .minimumExpectedValue(SLO_BUCKETS[0])
                .maximumExpectedValue(SLO_BUCKETS[SLO_BUCKETS.length - 1])
                .register(meters);
    }
}
