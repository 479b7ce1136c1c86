package dev.ebb.identity;

import java.time.Instant;
import java.util.List;

/** A user as the API shows it: never the password or its hash. */
public record UserView(String username, String displayName, List<GrantSpec> grants, boolean passwordSet, boolean disabled,
        Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, Instant lastSignInAt) {
}
