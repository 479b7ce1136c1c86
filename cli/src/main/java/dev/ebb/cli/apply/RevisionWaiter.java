package dev.ebb.cli.apply;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.client.ProblemText;
import dev.ebb.spec.Durations;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** Polls a revision until it is ready or failed, showing each state on a {@link Progress}; past the timeout, exit 5. */
final class RevisionWaiter {

    private static final Duration POLL = Duration.ofMillis(500);

    private final EbbClient client;

    RevisionWaiter(EbbClient client) {
        this.client = client;
    }

    /** The revision's final state, ready or failed. */
    RevisionProgress await(String namespace, String service, String revision, long deadlineNanos, Duration timeout,
            Progress progress) {
        String path = EbbClient.servicePath(namespace, service, "revisions", revision);
        RevisionProgress last = null;
        while (true) {
            JsonNode view = client.get(path);
            last = RevisionProgress.of(view);
            progress.update(last);
            if (last.state() != RevisionProgress.State.WAITING) {
                return last;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new CliFailure(ExitCode.TIMEOUT, "Timed out after " + Durations.format(timeout)
                        + " waiting for revision " + revision + " to be ready; it is still "
                        + ProblemText.sentence(last.describe()) + " Raise --timeout, or follow it with `ebb revision list " + service + " -n " + namespace + "`");
            }
            pause(Math.min(left, POLL.toNanos()));
        }
    }

    /** Polls the service until it names its latest created revision, which the write may not have set yet. */
    String latestCreated(String namespace, String service, JsonNode written, long deadlineNanos, Duration timeout) {
        JsonNode view = written;
        while (true) {
            JsonNode latest = view.path("status").path("latestCreatedRevision");
            if (latest.isString()) {
                return latest.asString();
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw new CliFailure(ExitCode.TIMEOUT, "Timed out after " + Durations.format(timeout)
                        + " waiting for service " + service + " to make a revision");
            }
            pause(POLL.toNanos());
            view = client.get(EbbClient.servicePath(namespace, service));
        }
    }

    private static void pause(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.ERROR, "Interrupted while waiting for the revision", e);
        }
    }
}
