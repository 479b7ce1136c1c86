package dev.ebb.coldstart;

import dev.ebb.background.Ticker;
import dev.ebb.leadership.Leadership;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes cold starts older than the retention and warm requests past their deadline, at start-up and then periodically. */
class RetentionPurge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final ColdStartStore coldStarts;
    private final WarmStore warms;
    private final WarmFloors floors;
    private final Duration retention;
    private final Clock clock;
    private final Ticker ticker;

    RetentionPurge(ColdStartStore coldStarts, WarmStore warms, WarmFloors floors, Duration retention, Duration interval,
            Clock clock, Leadership leadership) {
        this.coldStarts = coldStarts;
        this.warms = warms;
        this.floors = floors;
        this.retention = retention;
        this.clock = clock;
        this.ticker = new Ticker("ebb-cold-start-purge", interval, leadership.whileLeading(this::purge), e -> log.warn("Purging old cold starts failed", e));
    }

    void start() {
        ticker.start();
    }

    /** One purge now. */
    void purge() {
        Instant now = clock.instant();
        int purged = coldStarts.deleteArrivedBefore(now.minus(retention));
        if (warms.deleteExpired(now) > 0) {
            floors.refresh();
        }
        if (purged > 0) {
            log.info("Purged {} cold starts older than {}", purged, retention);
        }
    }

    @Override
    public void close() {
        ticker.close();
    }
}
