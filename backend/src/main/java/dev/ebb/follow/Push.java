package dev.ebb.follow;

import java.time.Instant;

/**
 * One push of a tag, as a registry notified it.
 *
 * @param id the registry's id of the event (Harbor sends none: one is made from what the payload says)
 * @param at when the registry says it happened; null when the payload does not say
 * @param host the registry's host (and port) as the payload names it; null when it names none
 * @param repository the repository pushed to, such as {@code acme/model}
 * @param tag the tag pushed
 * @param digest the digest the tag names now, {@code sha256:...}
 */
record Push(String id, Instant at, String host, String repository, String tag, String digest) {

    /** The pushed image as people read it. */
    String display() {
        return (host == null ? "" : host + "/") + repository + ":" + tag + "@" + digest;
    }
}
