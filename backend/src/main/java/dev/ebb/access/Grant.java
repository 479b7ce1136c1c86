package dev.ebb.access;

import java.io.Serializable;
import java.util.Objects;

/**
 * A role in one namespace, or in every namespace when {@code namespace} is {@value #EVERY_NAMESPACE}.
 *
 * @param publish whether a deployer may also make services public (admins always may)
 */
public record Grant(String namespace, Role role, boolean publish) implements Serializable {

    public static final String EVERY_NAMESPACE = "*";

    public Grant {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(role, "role");
    }

    public boolean covers(String namespace) {
        return EVERY_NAMESPACE.equals(this.namespace) || this.namespace.equals(namespace);
    }

    public boolean everywhere() {
        return EVERY_NAMESPACE.equals(namespace);
    }

    public boolean carries(Permission permission) {
        if (permission == Permission.PUBLISH) {
            return role == Role.ADMIN || (role == Role.DEPLOYER && publish);
        }
        return role.includes(permission.least());
    }
}
