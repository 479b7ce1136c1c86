package dev.ebb.access;

import java.util.Locale;
import java.util.Optional;

/** A role held in a namespace; each includes the ones before it. */
public enum Role {
    /** Reads services, revisions, traffic, logs, cold starts and the namespace's audit trail. */
    VIEWER,
    /** Also creates, changes and deletes services and traffic, warms revisions and runs cold-start probes. */
    DEPLOYER,
    /** Also makes services public and manages the namespace's registry credentials; on {@code *}, users, tokens and clusters. */
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.wireName().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}
