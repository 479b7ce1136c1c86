package dev.ebb.runtime;

/**
 * Which of a revision's log lines to read.
 *
 * @param tail at most this many lines, the last ones
 * @param instance only this instance's (a local instance id, or a pod's name), every instance's when null
 * @param previous only each instance's run before its current one, as {@code kubectl logs --previous} reads it
 */
public record LogQuery(int tail, String instance, boolean previous) {

    public static LogQuery last(int tail) {
        return new LogQuery(tail, null, false);
    }
}
