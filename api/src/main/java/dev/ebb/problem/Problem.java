package dev.ebb.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} names each offending field; {@code requestId} lets an
 * operator find the request in the logs.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldViolation> errors,
        String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types are URNs so they never look like a link that might resolve. */
    public static String type(String slug) {
        return "urn:ebb:problem:" + slug;
    }
}
