package dev.ebb.identity;

import java.util.List;

/** A new user and the roles they hold; without {@code password}, they sign in through OpenID Connect only. */
public record UserSpec(String username, String displayName, String password, List<GrantSpec> grants) {
}
