package dev.ebb.audit;

/** A stored audit event with its link to the event before it ({@code prevHash}) and its own {@code hash}. */
record ChainedEvent(EventContent content, String prevHash, String hash) {

    long id() {
        return content.id();
    }
}
