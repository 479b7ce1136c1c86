package dev.ebb.coldstart;

import dev.ebb.spec.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * A stored request to keep a revision warm: at least {@code instances} instances until {@code until},
 * whatever its load, for example ahead of a promotion.
 *
 * @param duration how long it was asked to last, in the canonical spelling ({@code 10m})
 * @param changeCause the {@code Ebb-Change-Cause} the caller gave, may be null
 */
record Warm(long id, String namespace, String service, String revision, int instances, String duration, Instant createdAt,
        Instant until, String createdBy, String changeCause) {

    static Warm of(long id, String namespace, String service, String revision, int instances, Instant createdAt,
            Instant until, String createdBy, String changeCause) {
        return new Warm(id, namespace, service, revision, instances, Durations.format(Duration.between(createdAt, until)),
                createdAt, until, createdBy, changeCause);
    }
}
