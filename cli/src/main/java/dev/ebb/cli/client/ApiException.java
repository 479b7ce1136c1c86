package dev.ebb.cli.client;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import dev.ebb.problem.Problem;

/** Ebb answered an error; the message says it in sentences, and the exit code follows the status. */
public class ApiException extends CliFailure {

    private final int status;
    private final transient Problem problem;

    public ApiException(int status, Problem problem, String message) {
        super(ExitCode.forStatus(status), message);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The problem document, or null when the answer was not one. */
    public Problem problem() {
        return problem;
    }
}
