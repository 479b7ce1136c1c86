package dev.ebb.revision;

/**
 * What of a revision's stored state decides whether the control plane lets it run.
 *
 * @param readyStatus its {@code Ready} condition's status
 * @param readyReason its {@code Ready} condition's reason
 * @param stopped whether an operator stopped it
 * @param imageResolved whether the digest its instances run is known (or there is nothing to resolve)
 */
public record RunState(String readyStatus, String readyReason, boolean stopped, boolean imageResolved) {

    /** A revision whose image is resolved. */
    public RunState(String readyStatus, String readyReason, boolean stopped) {
        this(readyStatus, readyReason, stopped, true);
    }

    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    /** Failed for good at its progress deadline: its instances never became ready in time. */
    public boolean failedAtDeadline() {
        return Condition.FALSE.equals(readyStatus) && PROGRESS_DEADLINE_EXCEEDED.equals(readyReason);
    }
}
