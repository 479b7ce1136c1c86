package dev.ebb.identity;

import java.util.List;

/** A new user and the roles they hold. */
public record UserSpec(String username, String displayName, String password, List<GrantSpec> grants) {
}
