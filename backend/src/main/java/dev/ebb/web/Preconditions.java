package dev.ebb.web;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.PreconditionFailedException;
import java.util.ArrayList;
import java.util.List;

/** ETags of stored resources and the {@code If-Match} check that keeps writers from overwriting each other. */
public final class Preconditions {

    private static final String HEADER = "If-Match";

    private Preconditions() {
    }

    public static String etag(String resourceVersion) {
        return "\"" + resourceVersion + "\"";
    }

    /**
     * Passes when {@code ifMatch} is absent, {@code *}, or lists the current version's ETag. A value that is not a list of
     * entity tags (RFC 9110 section 13.1.1), such as the unquoted {@code 3}, is refused with 400 and the quoted form to send,
     * rather than reported as a stale version it never was.
     */
    public static void checkIfMatch(String ifMatch, String currentVersion, String what) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        List<String> tags = entityTags(ifMatch);
        boolean matches = tags.stream().anyMatch(tag -> tag.equals("*") || tag.equals(etag(currentVersion)));
        if (!matches) {
            throw new PreconditionFailedException(what + " has changed since you read it: If-Match is " + ifMatch
                    + " but the current ETag is " + etag(currentVersion) + ". Read it again, reapply your change and retry.");
        }
    }

    /**
     * The entity tags of an {@code If-Match} value, each with its quotes (and {@code W/} if weak), or {@code *} alone.
     *
     * @throws InvalidInputException (400) naming the header and the quoted form when the value is not such a list
     */
    static List<String> entityTags(String ifMatch) {
        String value = ifMatch.strip();
        if (value.equals("*")) {
            return List.of("*");
        }
        List<String> tags = new ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            if (value.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= value.length() || value.charAt(i) != '"') {
                throw unquoted(ifMatch);
            }
            int close = value.indexOf('"', i + 1);
            if (close < 0) {
                throw unquoted(ifMatch);
            }
            tags.add(value.substring(start, close + 1));
            i = close + 1;
            if (i < value.length() && value.charAt(i) != ',' && value.charAt(i) != ' ' && value.charAt(i) != '\t') {
                throw unquoted(ifMatch);
            }
        }
        if (tags.isEmpty()) {
            throw unquoted(ifMatch);
        }
        return tags;
    }

    private static InvalidInputException unquoted(String ifMatch) {
        return InvalidInputException.unreadable(HEADER, "'" + ifMatch + "' is not an entity tag: send the ETag exactly as it was "
                + "returned, quotes included (If-Match: " + quoted(ifMatch) + "), or * for any version");
    }

    /** The value with each of its comma-separated parts in quotes, the way the ETag header gave them. */
    private static String quoted(String ifMatch) {
        List<String> parts = new ArrayList<>();
        for (String part : ifMatch.split(",")) {
            String bare = part.strip().replace("\"", "");
            if (!bare.isEmpty()) {
                parts.add(etag(bare));
            }
        }
        return parts.isEmpty() ? "\"<the ETag you read>\"" : String.join(", ", parts);
    }
}
