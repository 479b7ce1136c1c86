package dev.ebb.revision;

import dev.ebb.spec.Template;
import java.time.Instant;
import java.util.List;

/** A revision as the API shows it. */
public record RevisionView(
        String name,
        String namespace,
        String service,
        int generation,
        Template template,
        String templateHash,
        Metadata metadata,
        Status status) {

    /**
     * @param changeCause why the caller said it made the change (the {@code Ebb-Change-Cause} header), or which push
     *     or poll made it
     * @param changes what changed from the previous revision's template (or its digest, for a followed tag)
     * @param trigger what made the revision
     */
    public record Metadata(Instant createdAt, String createdBy, String changeCause, String changes, Trigger trigger) {
    }

    /**
     * What made a revision.
     *
     * @param kind {@code person} or {@code token} (through the API), {@code registry-push} (a hook's delivery),
     *     {@code poll} (the poll of followed tags), {@code system} (anything else)
     * @param name the username, the token's name or the hook's name; null for the poll
     * @param event the registry's id of the push event, for a registry push
     */
    public record Trigger(String kind, String name, String event) {
    }

    /**
     * @param instances what the runtime runs of this revision now
     * @param stopped who stopped the revision and when; null unless an operator stopped it (it then runs no instance
     *     until it is retried)
     * @param image the image its instances run: the template's pinned to the digest its tag was resolved to when the
     *     revision was made ({@code repo@sha256:...}); null until that is known, and for a template without an image
     */
    public record Status(List<Condition> conditions, InstanceCounts.Instances instances, Stopped stopped, String image) {
    }

    /** An operator's stop of a revision ({@code POST .../revisions/{revision}/stop}). */
    public record Stopped(Instant at, String by) {
    }
}
