package dev.ebb.web;

import dev.ebb.problem.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque paging tokens: the key of the last item of a page, so pages stay stable while items are added. */
public final class ContinueToken {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private ContinueToken() {
    }

    public static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The key a token carries, or {@code initial} when there is no token. */
    public static String decode(String token, String initial) {
        if (token == null || token.isEmpty()) {
            return initial;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("v1:")) {
                return text.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw InvalidInputException.unreadable("continue",
                "is not a token this API issued; pass the 'continue' value of the previous page unchanged, or leave it out to start over");
    }

    public static long decodeNumber(String token, long initial) {
        String key = decode(token, Long.toString(initial));
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw InvalidInputException.unreadable("continue", "is not a token of this list; leave it out to start over");
        }
    }

    /** The page size asked for, checked against the allowed range. */
    public static int limit(Integer requested) {
        return limit(requested, MAX_LIMIT);
    }

    /** The page size asked for, for a list whose pages cost more per item and so allow at most {@code max}. */
    public static int limit(Integer requested, int max) {
        if (requested == null) {
            return Math.min(DEFAULT_LIMIT, max);
        }
        if (requested < 1 || requested > max) {
            throw InvalidInputException.unreadable("limit", "must be between 1 and " + max + ", is " + requested);
        }
        return requested;
    }
}
