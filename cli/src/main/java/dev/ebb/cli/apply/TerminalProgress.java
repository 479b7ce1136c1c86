package dev.ebb.cli.apply;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A spinner beside the revision's current phase, redrawn in place on one line; each phase that ends is kept above it
 * with how long it took.
 */
final class TerminalProgress implements Progress {

    static final String CLEAR_LINE = "\r\033[K";
    private static final String FRAMES = "|/-\\";

    private final PrintWriter out;
    private final int width;
    private final ScheduledExecutorService ticker;
    private RevisionProgress current;
    private long phaseStartedNanos = System.nanoTime();
    private int frame;

    TerminalProgress(PrintWriter out, int width) {
        this.out = out;
        this.width = width;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ebb-spinner");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** The terminal's width from {@code COLUMNS} when the shell exports it, else 80. */
    static int width(String columns) {
        try {
            int parsed = columns == null ? 80 : Integer.parseInt(columns.strip());
            return parsed >= 20 ? parsed : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    @Override
    public synchronized void update(RevisionProgress progress) {
        if (current != null && !current.phase().equals(progress.phase())) {
            out.print(CLEAR_LINE + "  " + current.revision() + ": " + current.phase() + " done after " + seconds() + "\n");
            phaseStartedNanos = System.nanoTime();
        }
        current = progress;
        if (waiting()) {
            draw();
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        synchronized (this) {
            out.print(CLEAR_LINE);
            out.flush();
        }
    }

    private synchronized void tick() {
        frame = (frame + 1) % FRAMES.length();
        if (waiting()) {
            draw();
        }
    }

    private boolean waiting() {
        return current == null || current.state() == RevisionProgress.State.WAITING;
    }

    private void draw() {
        String text = current == null ? "waiting for the revision" : current.revision() + ": " + current.describe();
        String line = FRAMES.charAt(frame) + " " + text + " [" + seconds() + "]";
        if (line.length() > width - 1) {
            line = line.substring(0, width - 4) + "...";
        }
        out.print(CLEAR_LINE + line);
        out.flush();
    }

    private String seconds() {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - phaseStartedNanos) / 1e9);
    }
}
