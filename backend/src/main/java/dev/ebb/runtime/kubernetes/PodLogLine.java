package dev.ebb.runtime.kubernetes;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One line of a pod's log as the pod log API gives it with {@code timestamps=true} ({@code <RFC 3339 time> <text>}),
 * shown as the local runtime shows its lines: {@code time instance text}.
 */
record PodLogLine(Instant time, String pod, String text) {

    static PodLogLine parse(String pod, String line) {
        int space = line.indexOf(' ');
        if (space > 0) {
            try {
                return new PodLogLine(Instant.parse(line.substring(0, space)), pod, line.substring(space + 1));
            } catch (DateTimeParseException e) {
                // A line without the time the API server puts first: keep it whole.
            }
        }
        return new PodLogLine(Instant.EPOCH, pod, line);
    }

    @Override
    public String toString() {
        return time + " " + pod + " " + text;
    }
}
