package dev.ebb.access;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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

    /**
     * The namespaces named by grants that carry the permission; a {@code *} grant is not among them, since it
     * stands for every namespace (ask {@link #mayEverywhere} for that).
     */
    public Set<String> namespacesWhere(Permission permission) {
        Set<String> namespaces = new TreeSet<>();
        for (Grant grant : grants) {
            if (!grant.everywhere() && grant.carries(permission)) {
                namespaces.add(grant.namespace());
            }
        }
        return namespaces;
    }

    /** Holds any role in the namespace; a caller without one is told the namespace is not theirs. */
    public boolean belongsTo(String namespace) {
        return may(Permission.READ, namespace);
    }

    public boolean gateway() {
        return kind == Kind.GATEWAY;
    }
}
