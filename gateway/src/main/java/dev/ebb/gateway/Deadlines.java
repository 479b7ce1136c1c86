package dev.ebb.gateway;

/**
 * One event loop's requests that wait for their response headers, each with its revision's timeout from
 * arrival. A timer per request (schedule, then cancel) showed up in the profile under load; here a request
 * costs a link into a list, and one periodic tick expires what is due. Requests with the same timeout expire
 * in arrival order, so each timeout has its own list and the tick only looks at their heads. The owner ticks only
 * while an entry waits: it is told when the first one starts waiting, and stops once {@link #isEmpty()} after a tick,
 * so that an idle event loop is not woken twenty times a second for nothing. Belongs to one event loop: no locks.
 */
final class Deadlines {

    /** A request that can time out; linked into at most one list at a time. */
    abstract static class Entry {
        private Lane lane;
        private Entry previous;
        private Entry next;
        private long deadline;

        /** Called on the event loop once the deadline has passed, after the entry was removed. */
        abstract void expired();
    }

    /** The entries of one timeout, oldest first. */
    private static final class Lane {
        final long timeoutNanos;
        Entry head;
        Entry tail;

        Lane(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }
    }

    private Lane[] lanes = new Lane[0];
    private final Runnable firstWaits;
    private int waiting;

    /** @param firstWaits called when an entry starts waiting while none did: the owner's cue to start ticking */
    Deadlines(Runnable firstWaits) {
        this.firstWaits = firstWaits;
    }

    /** Whether no entry waits: the owner may stop ticking until it is told that one does again. */
    boolean isEmpty() {
        return waiting == 0;
    }

    /** Expires {@code entry} once {@code timeoutMillis} have passed since {@code since} ({@link System#nanoTime()}). */
    void add(Entry entry, long timeoutMillis, long since) {
        remove(entry);
        Lane lane = lane(timeoutMillis * 1_000_000L);
        entry.lane = lane;
        entry.deadline = since + lane.timeoutNanos;
        entry.previous = lane.tail;
        entry.next = null;
        if (lane.tail == null) {
            lane.head = entry;
        } else {
            lane.tail.next = entry;
        }
        lane.tail = entry;
        if (++waiting == 1) {
            firstWaits.run();
        }
    }

    /** Forgets {@code entry}; does nothing when it is not waiting. */
    void remove(Entry entry) {
        Lane lane = entry.lane;
        if (lane == null) {
            return;
        }
        if (entry.previous == null) {
            lane.head = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            lane.tail = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.lane = null;
        entry.previous = null;
        entry.next = null;
        waiting--;
    }

    /** Expires every entry whose deadline is at or before {@code now}. */
    void expire(long now) {
        for (Lane lane : lanes) {
            Entry head;
            while ((head = lane.head) != null && head.deadline - now <= 0) {
                remove(head);
                head.expired();
            }
        }
    }

    private Lane lane(long timeoutNanos) {
        for (Lane lane : lanes) {
            if (lane.timeoutNanos == timeoutNanos) {
                return lane;
            }
        }
        Lane[] more = new Lane[lanes.length + 1];
        System.arraycopy(lanes, 0, more, 0, lanes.length);
        more[lanes.length] = new Lane(timeoutNanos);
        lanes = more;
        return more[lanes.length - 1];
    }
}
