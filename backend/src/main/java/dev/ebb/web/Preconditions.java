package dev.ebb.web;

import dev.ebb.problem.PreconditionFailedException;
import java.util.Arrays;

/** ETags of stored resources and the {@code If-Match} check that keeps writers from overwriting each other. */
public final class Preconditions {

    private Preconditions() {
    }

    public static String etag(String resourceVersion) {
        return "\"" + resourceVersion + "\"";
    }

    /** Passes when {@code ifMatch} is absent, {@code *}, or lists the current version's ETag. */
    public static void checkIfMatch(String ifMatch, String currentVersion, String what) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        boolean matches = Arrays.stream(ifMatch.split(","))
                .map(String::trim)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag(currentVersion)));
        if (!matches) {
            throw new PreconditionFailedException(what + " has changed since you read it: If-Match is " + ifMatch
                    + " but the current ETag is " + etag(currentVersion) + ". Read it again, reapply your change and retry.");
        }
    }
}
