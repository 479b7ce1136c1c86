package dev.ebb.revision;

import java.time.Instant;

/**
 * What made a revision: a person or an API token through the API, a registry push a hook delivered, or the poll of
 * followed tags.
 *
 * @param kind {@code person}, {@code token}, {@code registry-push}, {@code poll}, or {@code system} for anything else
 * @param name the username, the token's name or the hook's name; null for the poll
 * @param event the registry's id of the push event; null unless a registry push made the revision
 * @param eventAt when the registry says the push happened; null for the poll and for changes made through the API.
 *     Kept, not shown: a delivery of an event older than the latest one makes nothing.
 */
public record Trigger(String kind, String name, String event, Instant eventAt) {

    public static final String PERSON = "person";
    public static final String TOKEN = "token";
    public static final String REGISTRY_PUSH = "registry-push";
    public static final String POLL = "poll";
    public static final String SYSTEM = "system";

    /** The trigger of a change made through the API by {@code actor} ({@code user:<name>} or {@code token:<name>}). */
    public static Trigger byActor(String actor) {
        int colon = actor.indexOf(':');
        String prefix = colon < 0 ? "" : actor.substring(0, colon);
        String name = colon < 0 ? actor : actor.substring(colon + 1);
        String kind = switch (prefix) {
            case "user" -> PERSON;
            case "token" -> TOKEN;
            default -> SYSTEM;
        };
        return new Trigger(kind, name, null, null);
    }

    public static Trigger push(String hook, String event, Instant eventAt) {
        return new Trigger(REGISTRY_PUSH, hook, event, eventAt);
    }

    /** The poll resolves the tag as it is now, so it has no event time to compare: the digest alone decides. */
    public static Trigger poll() {
        return new Trigger(POLL, null, null, null);
    }

    /** As the API shows it. */
    public RevisionView.Trigger view() {
        return new RevisionView.Trigger(kind, name, event);
    }
}
