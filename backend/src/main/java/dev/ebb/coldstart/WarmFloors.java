package dev.ebb.coldstart;

import dev.ebb.autoscaler.ScaleFloors;
import dev.ebb.service.ServiceChanged;
import java.time.Clock;
import java.time.Instant;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The autoscaler's floors from warm requests. It answers from an in-memory copy of the stored requests,
 * read again at start-up, after each change of warm requests and when a service with warm requests
 * changes (its deletion takes them with it).
 */
public class WarmFloors implements ScaleFloors {

    private final WarmStore store;
    private final Clock clock;
    private volatile WarmSchedule schedule = WarmSchedule.EMPTY;

    WarmFloors(WarmStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public int floor(String namespace, String revision, Instant now) {
        return schedule.floor(namespace, revision, now);
    }

    /** Reads the requests that still count from the database; one at a time, so an older read never wins. */
    synchronized void refresh() {
        schedule = new WarmSchedule(store.allActive(clock.instant()));
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void warmChanged(WarmChanged event) {
        refresh();
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void serviceChanged(ServiceChanged event) {
        if (schedule.covers(event.namespace(), event.name())) {
            refresh();
        }
    }
}
