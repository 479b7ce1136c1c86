package dev.ebb.web;

import dev.ebb.problem.InvalidInputException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads the RFC 3339 times that query parameters such as {@code at} and {@code since} carry. */
public final class Rfc3339 {

    private Rfc3339() {
    }

    /** The instant, or null when the parameter is absent. */
    public static Instant parse(String parameter, String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw InvalidInputException.unreadable(parameter, "'" + text + "' is not an RFC 3339 time; write it like 2026-11-26T10:15:30Z");
        }
    }
}
