package dev.ebb.cli.apply;

import java.io.PrintWriter;

/** Shows a wait for a revision as it goes: a spinner on a terminal, one plain line per change otherwise. */
public interface Progress extends AutoCloseable {

    /** The revision's latest state; called on every poll. */
    void update(RevisionProgress progress);

    /** Ends the display, leaving the terminal's line clean for what follows. */
    @Override
    void close();

    /** A spinner for a terminal, plain lines for a log or a pipe. */
    static Progress on(PrintWriter out, boolean terminal) {
        return terminal ? new TerminalProgress(out, TerminalProgress.width(System.getenv("COLUMNS"))) : new PlainProgress(out);
    }
}
