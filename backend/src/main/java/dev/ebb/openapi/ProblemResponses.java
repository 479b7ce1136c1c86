package dev.ebb.openapi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The problem responses operations share, by the name they have under {@code components/responses}. */
final class ProblemResponses {

    static final String BAD_REQUEST = "BadRequest";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String NOT_FOUND = "NotFound";
    static final String PRECONDITION_FAILED = "PreconditionFailed";
    static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    static final String OTHER = "OtherProblem";

    /** In the order the document lists them. */
    static final Map<String, String> ALL = ordered(
            BAD_REQUEST, "The request could not be read: malformed JSON, an unknown field or query parameter (with the "
                    + "nearest known name), a wrong type, or an If-Match that is not a quoted ETag",
            UNAUTHORIZED, "No credentials, or a token or session that is not (or no longer) valid",
            FORBIDDEN, "The caller's roles do not allow this here; the detail says what is missing",
            NOT_FOUND, "The resource named in the path does not exist",
            PRECONDITION_FAILED, "If-Match names a version that is no longer current: read it again, reapply the change and retry",
            PAYLOAD_TOO_LARGE, "The body is larger than 1 MiB",
            UNSUPPORTED_MEDIA_TYPE, "The body's Content-Type is not one the operation takes: application/json (or "
                    + "application/merge-patch+json for PATCH)",
            OTHER, "Any other failure, as a problem: 401 a failed sign-in, 409 a conflict (an existing name, a quota, "
                    + "a state that forbids it), 422 rules the content breaks (all of them, each with its field), 429 too many attempts "
                    + "(with Retry-After), 503 the database or a cluster is unreachable (with Retry-After)");

    private static Map<String, String> ordered(String... namesAndDescriptions) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDescriptions.length; i += 2) {
            ordered.put(namesAndDescriptions[i], namesAndDescriptions[i + 1]);
        }
        return Collections.unmodifiableMap(ordered);
    }

    private ProblemResponses() {
    }
}
