package dev.ebb.cli.apply;

import java.io.PrintWriter;

/** One line each time the revision's phase or message changes, and nothing in between: fit for CI logs. */
final class PlainProgress implements Progress {

    private final PrintWriter out;
    private RevisionProgress last;

    PlainProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void update(RevisionProgress progress) {
        if (progress.state() == RevisionProgress.State.WAITING && progress.differsFrom(last)) {
            out.println(progress.revision() + ": " + progress.describe());
            out.flush();
        }
        last = progress;
    }

    @Override
    public void close() {
        out.flush();
    }
}
