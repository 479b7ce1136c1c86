package dev.ebb.cli;

/**
 * What {@code ebb} exits with, so that a CI step fails for the right cause. Documented in the README's CLI section.
 */
public final class ExitCode {

    public static final int OK = 0;
    /** Anything else: Ebb unreachable, a server error, an answer the CLI did not expect. */
    public static final int ERROR = 1;
    /** Bad usage or input, found by the CLI or answered 400, 404, 413, 415 or 422 by Ebb. */
    public static final int INVALID = 2;
    /** Ebb refused the caller or the change: 401, 403, 409, 412 or 429. */
    public static final int REJECTED = 3;
    /** The revision that {@code apply} waited for failed. */
    public static final int REVISION_FAILED = 4;
    /** The wait ended at {@code --timeout} before the revision was ready or failed. */
    public static final int TIMEOUT = 5;

    private ExitCode() {
    }

    /** The exit code for an HTTP error status from Ebb's API. */
    public static int forStatus(int status) {
        return switch (status) {
            case 400, 404, 405, 406, 413, 415, 422 -> INVALID;
            case 401, 403, 409, 412, 429 -> REJECTED;
            default -> ERROR;
        };
    }
}
