package dev.ebb.access;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Who is calling, as everything downstream sees it.
 *
 * @param name {@code user:<username>}, {@code token:<name>} or {@code gateway:<token name>}; the audit trail's actor
 * @param grants the roles the caller holds (a gateway holds none)
 */
public record Caller(String name, Kind kind, List<Grant> grants) implements Serializable {

    public enum Kind {
        USER, TOKEN, GATEWAY
    }

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        grants = List.copyOf(grants);
    }

    public boolean may(Permission permission, String namespace) {
        for (Grant grant : grants) {
            if (grant.covers(namespace) && grant.carries(permission)) {
                return true;
            }
        }
        return false;
    }

    /** Holds the permission through a {@code *} grant, so in every namespace, including ones not created yet. */
    public boolean mayEverywhere(Permission permission) {
        for (Grant grant : grants) {
            if (grant.everywhere() && grant.carries(permission)) {
                return true;
            }
        }
        return false;
    }

    /** Holds any role in the namespace; a caller without one is told the namespace is not theirs. */
    public boolean belongsTo(String namespace) {
        return may(Permission.READ, namespace);
    }

    public boolean gateway() {
        return kind == Kind.GATEWAY;
    }
}
