package dev.ebb.identity;

import java.util.List;

/** The parts of a user to change; a field left out stays as it is, {@code grants} replaces the whole list. */
public record UserPatch(String displayName, String password, List<GrantSpec> grants, Boolean disabled) {
}
