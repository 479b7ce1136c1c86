package dev.ebb.runtime.local;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The recent output of a revision's instances: each instance's last lines across its restarts, every start marked,
 * so that the run before the current one can be read as {@code kubectl logs --previous} reads a container's; with
 * listeners for following them live.
 */
public final class LogBuffer {

    /** One line an instance printed. */
    public record Line(Instant time, String instance, String text) {

        @Override
        public String toString() {
            return time + " " + instance + " " + text;
        }
    }

    /**
     * Whose lines to read.
     *
     * @param instance one instance's lines only, all instances' when null
     * @param previous only the lines of each instance's run before its current one
     */
    public record Selection(String instance, boolean previous) {

        public static final Selection ALL = new Selection(null, false);
    }

    /** More instances than a revision may have ({@code max-scale-limit} is 100 by default) plus some that are gone. */
    static final int MAX_INSTANCES = 120;

    private record Entry(Line line, int run) {
    }

    private static final class InstanceLog {
        private final Deque<Entry> lines = new ArrayDeque<>();
        private int run;
    }

    private final int capacity;
    /** In the order the instances last printed, so the one quiet longest is forgotten first. */
    private final LinkedHashMap<String, InstanceLog> instances = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InstanceLog> eldest) {
            return size() > MAX_INSTANCES;
        }
    };
    private final List<Consumer<Line>> listeners = new CopyOnWriteArrayList<>();

    /** @param capacity how many lines are kept per instance */
    LogBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** A line of the instance's current run. */
    void append(Line line) {
        add(line, false);
    }

    /** The first line of a new run of the instance, which marks where the run begins. */
    void started(Line marker) {
        add(marker, true);
    }

    private void add(Line line, boolean newRun) {
        synchronized (instances) {
            InstanceLog log = instances.computeIfAbsent(line.instance(), k -> new InstanceLog());
            if (newRun) {
                log.run++;
            }
            if (log.lines.size() == capacity) {
                log.lines.removeFirst();
            }
            log.lines.addLast(new Entry(line, log.run));
        }
        listeners.forEach(listener -> listener.accept(line));
    }

    /** The last {@code count} lines of all instances, oldest first. */
    public List<Line> tail(int count) {
        return tail(count, Selection.ALL);
    }

    /** The last {@code count} lines of the selected instances and runs, oldest first. */
    public List<Line> tail(int count, Selection selection) {
        List<Line> all = new ArrayList<>();
        synchronized (instances) {
            // Iterating an access-ordered map does not reorder it; get() would.
            for (Map.Entry<String, InstanceLog> entry : instances.entrySet()) {
                if (selection.instance() != null && !selection.instance().equals(entry.getKey())) {
                    continue;
                }
                InstanceLog log = entry.getValue();
                for (Entry line : log.lines) {
                    if (!selection.previous() || line.run() == log.run - 1 && line.run() > 0) {
                        all.add(line.line());
                    }
                }
            }
        }
        all.sort(Comparator.comparing(Line::time));
        return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
    }

    /** Calls {@code listener} with every line appended from now on, until the returned handle is closed. */
    public AutoCloseable follow(Consumer<Line> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
