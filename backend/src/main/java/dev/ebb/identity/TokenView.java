package dev.ebb.identity;

import java.time.Instant;
import java.util.List;

/**
 * A token as the API shows it: never its value, which only the creation answer carries once.
 *
 * @param status {@code active}, {@code expired} or {@code revoked}
 */
public record TokenView(String name, String kind, List<GrantSpec> grants, String status, Instant createdAt, String createdBy,
        Instant expiresAt, Instant lastUsedAt, Instant revokedAt, String revokedBy) {
}
