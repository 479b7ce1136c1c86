package dev.ebb.runtime.local;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The recent output lines of a revision's instances, with listeners for following them live. */
public final class LogBuffer {

    /** One line an instance printed. */
    public record Line(Instant time, String instance, String text) {

        @Override
        public String toString() {
            return time + " " + instance + " " + text;
        }
    }

    private final int capacity;
    private final Deque<Line> lines = new ArrayDeque<>();
    private final List<Consumer<Line>> listeners = new CopyOnWriteArrayList<>();

    LogBuffer(int capacity) {
        this.capacity = capacity;
    }

    void append(Line line) {
        synchronized (lines) {
            if (lines.size() == capacity) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
        listeners.forEach(listener -> listener.accept(line));
    }

    /** The last {@code count} lines, oldest first. */
    public List<Line> tail(int count) {
        synchronized (lines) {
            List<Line> all = new ArrayList<>(lines);
            return all.subList(Math.max(0, all.size() - count), all.size());
        }
    }

    /** Calls {@code listener} with every line appended from now on, until the returned handle is closed. */
    public AutoCloseable follow(Consumer<Line> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
