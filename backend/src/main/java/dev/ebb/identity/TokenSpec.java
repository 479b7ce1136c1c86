package dev.ebb.identity;

import java.util.List;

/**
 * A token to create.
 *
 * @param kind {@code api} (default: acts with its grants) or {@code gateway} (fetches routing, reports load; no grants)
 * @param expiresInDays days until it stops working (default 90); leave out and set {@code neverExpires} for none
 */
public record TokenSpec(String name, String kind, List<GrantSpec> grants, Integer expiresInDays, Boolean neverExpires) {
}
