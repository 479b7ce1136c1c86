package dev.ebb.follow;

import java.util.List;

/**
 * What a hook did with a delivery: for each push of a tag in it, what became of each service that follows the tag.
 * Other events (pulls, deletes, pushes by digest alone) are not listed.
 */
public record HookDelivery(List<Event> events) {

    /**
     * @param id the registry's id of the event
     * @param image the pushed image, {@code registry/repository:tag@digest}
     */
    public record Event(String id, String image, List<Rollout> services) {
    }

    /**
     * @param outcome {@code created} (a new revision runs the digest), {@code known-digest} (a revision runs it already),
     *     {@code older-event} (a later push made a revision already) or {@code not-followed} (the service stopped
     *     following the tag meanwhile)
     * @param revision the revision made, or the one that runs the digest already
     */
    public record Rollout(String namespace, String service, String outcome, String revision) {
    }
}
