package dev.ebb.audit;

/**
 * What checking the audit chain found, built up event by event in id order: either every event checked so far is
 * intact, or the first one that is not and why. Pure, so the walk over the database and its tests share it.
 *
 * @param status {@code intact} or {@code broken}
 * @param eventsChecked events checked, the broken one included
 * @param lastEventId the last event found intact, null when there is none; with an intact chain, its newest event
 * @param lastHash that event's hash: an auditor who keeps it can later tell whether newer events were removed
 * @param firstMismatch the first event that is not intact, null when there is none
 */
public record ChainReport(String status, long eventsChecked, Long lastEventId, String lastHash, Mismatch firstMismatch) {

    public static final String INTACT = "intact";
    public static final String BROKEN = "broken";

    /**
     * An event that is not what was written.
     *
     * @param problem {@code altered}, {@code broken-link} or {@code missing-hash}
     * @param reason what is wrong, in words
     */
    public record Mismatch(long id, String problem, String reason) {

        public static final String ALTERED = "altered";
        public static final String BROKEN_LINK = "broken-link";
        public static final String MISSING_HASH = "missing-hash";
    }

    /** Nothing checked yet: an empty trail is intact. */
    static ChainReport start() {
        return new ChainReport(INTACT, 0, null, null, null);
    }

    /** Checks every event, in id order. */
    static ChainReport of(Iterable<ChainedEvent> events) {
        ChainReport report = start();
        for (ChainedEvent event : events) {
            report = report.then(event);
        }
        return report;
    }

    boolean broken() {
        return firstMismatch != null;
    }

    /** This report after checking the next event in id order; a broken chain stays as it is. */
    ChainReport then(ChainedEvent event) {
        if (broken()) {
            return this;
        }
        long checked = eventsChecked + 1;
        long id = event.id();
        if (event.hash() == null || event.hash().isEmpty()) {
            return broken(checked, new Mismatch(id, Mismatch.MISSING_HASH, "Event " + id + " has no hash, so nothing proves "
                    + "its content: Ebb hashes every event it writes, so its hash was removed or the event was not written by Ebb."));
        }
        if (!ChainHash.hash(event.content(), event.prevHash()).equals(event.hash())) {
            return broken(checked, new Mismatch(id, Mismatch.ALTERED, "The stored content of event " + id + " does not match "
                    + "its hash: one of its fields, or its link to the event before it, was changed after it was written."));
        }
        if (lastEventId == null && event.prevHash() != null) {
            return broken(checked, new Mismatch(id, Mismatch.BROKEN_LINK, "Event " + id + " is the oldest event but links to "
                    + "a previous event with hash " + event.prevHash() + ": the events before it were removed."));
        }
        if (lastEventId != null && !lastHash.equals(event.prevHash())) {
            return broken(checked, new Mismatch(id, Mismatch.BROKEN_LINK, "Event " + id + " links to a previous event with "
                    + "hash " + event.prevHash() + ", but the event before it, " + lastEventId + ", has hash " + lastHash
                    + ": events between them were removed or inserted, or event " + lastEventId
                    + " was rewritten together with its hash."));
        }
        return new ChainReport(INTACT, checked, id, event.hash(), null);
    }

    private ChainReport broken(long checked, Mismatch mismatch) {
        return new ChainReport(BROKEN, checked, lastEventId, lastHash, mismatch);
    }
}
