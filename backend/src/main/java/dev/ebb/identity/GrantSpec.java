package dev.ebb.identity;

import dev.ebb.access.Grant;

/**
 * A role in a namespace as the API reads and writes it.
 *
 * @param namespace a namespace name, or {@code *} for every namespace
 * @param role {@code viewer}, {@code deployer} or {@code admin}
 * @param publish may a deployer also make services public; admins always may (defaults to false)
 */
public record GrantSpec(String namespace, String role, Boolean publish) {

    public static GrantSpec of(Grant grant) {
        return new GrantSpec(grant.namespace(), grant.role().wireName(), grant.publish() || grant.role() == dev.ebb.access.Role.ADMIN);
    }
}
