package dev.ebb.service;

import dev.ebb.revision.RevisionStore;
import dev.ebb.spec.Template;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a new digest of a followed tag makes a new revision of a service. Deliveries come twice and out of order, and
 * the poll may see what a hook delivered already, so it is idempotent per service and digest: a digest one of the
 * service's revisions runs makes nothing, and neither does an event older than the latest one that made a revision.
 */
public final class TagPush {

    public enum Outcome {
        /** A new revision runs the digest. */
        CREATED,
        /** A revision of the service runs the digest already. */
        KNOWN_DIGEST,
        /** A later push (or poll) made a revision already; this event is stale. */
        OLDER_EVENT,
        /** The service no longer follows this tag: its template changed meanwhile, or it was deleted. */
        NOT_FOLLOWED
    }

    /**
     * @param revision the revision made ({@link Outcome#CREATED}) or the one that runs the digest already
     *     ({@link Outcome#KNOWN_DIGEST}); null otherwise
     */
    public record Decision(Outcome outcome, String revision) {
    }

    private TagPush() {
    }

    /**
     * @param latest the template of the service's latest revision
     * @param followedImage the image (with its tag) the push was matched to
     * @param pinned what the tag names now, {@code repo@sha256:...}
     * @param followed what the service's revisions run, and when the latest event that made one happened
     * @param eventAt when the push happened (null when unknown: it is then not compared)
     * @param next the name the new revision would get
     */
    public static Decision decide(Template latest, String followedImage, String pinned, RevisionStore.Followed followed,
            Instant eventAt, String next) {
        if (latest == null || !latest.followsTag() || !Objects.equals(latest.image(), followedImage)) {
            return new Decision(Outcome.NOT_FOLLOWED, null);
        }
        String digest = digestOf(pinned);
        String known = null;
        for (Map.Entry<String, String> revision : followed.imagesByRevision().entrySet()) {
            if (digest.equals(digestOf(revision.getValue())) && (known == null || revision.getKey().compareTo(known) > 0)) {
                known = revision.getKey();
            }
        }
        if (known != null) {
            return new Decision(Outcome.KNOWN_DIGEST, known);
        }
        if (eventAt != null && followed.latestEventAt() != null && eventAt.isBefore(followed.latestEventAt())) {
            return new Decision(Outcome.OLDER_EVENT, null);
        }
        return new Decision(Outcome.CREATED, next);
    }

    private static String digestOf(String image) {
        int at = image.indexOf('@');
        return at < 0 ? "" : image.substring(at + 1);
    }
}
