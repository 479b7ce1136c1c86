package dev.ebb.audit;

import dev.ebb.background.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the head of the audit chain (the newest event's id and hash) outside the database, so that rewriting
 * the chain or dropping its newest events shows: every minute when the head moved, and after every intact
 * verification, a checkpoint is appended to {@code <data dir>/audit/checkpoints-<first event's hash>}, logged on
 * {@code ebb.audit.checkpoint} and served at {@code GET /api/v1/audit/checkpoints}, for an external system to record.
 * Verification then checks that the stored chain still holds each recent checkpoint's event with the same hash. The
 * file is named after the chain's first event, so that a data directory used with another database never compares
 * one chain with another's checkpoints.
 */
public class AuditCheckpoints implements AutoCloseable {

    private static final Logger published = LoggerFactory.getLogger("ebb.audit.checkpoint");
    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);
    /** How many of the newest checkpoints verification compares against and the endpoint lists. */
    static final int KEPT = 100;

    private final AuditLog audit;
    private final Path directory;
    private final Clock clock;
    private final Deque<Checkpoint> recent = new ArrayDeque<>();
    private final Ticker ticker;
    private Path file;

    public AuditCheckpoints(AuditLog audit, Path directory, Clock clock, Duration interval) {
        this.audit = audit;
        this.directory = directory;
        this.clock = clock;
        this.ticker = new Ticker("ebb-audit-checkpoints", interval, this::publishIfMoved,
                e -> log.warn("Could not publish the audit chain's head: {}", e.getMessage()));
    }

    public void start() {
        ticker.start();
    }

    /**
     * The file of this chain's checkpoints, whose recent ones are read on first use; null while the trail is empty.
     * Called with this object's lock held.
     */
    private Path file() {
        if (file == null) {
            Optional<String> first = audit.firstHash();
            if (first.isEmpty()) {
                return null;
            }
            String hex = first.get().substring(first.get().indexOf(':') + 1);
            file = directory.resolve("checkpoints-" + hex.substring(0, Math.min(16, hex.length())));
            try {
                Files.createDirectories(directory);
                if (Files.exists(file)) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        Checkpoint.parse(line).ifPresent(this::remember);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the audit checkpoints in " + file, e);
            }
        }
        return file;
    }

    @Override
    public void close() {
        ticker.close();
    }

    /** The newest checkpoints, newest first. */
    public synchronized List<Checkpoint> recent() {
        file();
        List<Checkpoint> newestFirst = new ArrayList<>(recent);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /**
     * Verifies the chain and compares it with the recent checkpoints: a checkpoint whose event is gone or has
     * another hash means the chain was rewritten or cut since. An intact chain's head is published as a checkpoint.
     */
    public ChainReport verify() {
        ChainReport chain = audit.verify();
        if (chain.broken()) {
            return chain;
        }
        for (Checkpoint checkpoint : recent()) {
            Optional<String> stored = audit.hashOf(checkpoint.eventId());
            if (stored.isEmpty() || !stored.get().equals(checkpoint.hash())) {
                return new ChainReport(ChainReport.BROKEN, chain.eventsChecked(), chain.lastEventId(), chain.lastHash(),
                        new ChainReport.Mismatch(checkpoint.eventId(), Checkpoint.MISMATCH, stored.isEmpty()
                                ? "Event " + checkpoint.eventId() + " was published as the chain's head at " + checkpoint.at()
                                        + " with hash " + checkpoint.hash() + " but is no longer stored: events were removed."
                                : "Event " + checkpoint.eventId() + " was published with hash " + checkpoint.hash() + " at "
                                        + checkpoint.at() + " but is stored with hash " + stored.get()
                                        + ": the chain up to it was rewritten and its hashes recomputed."));
            }
        }
        if (chain.lastEventId() != null) {
            publish(new Checkpoint(clock.instant(), chain.lastEventId(), chain.lastHash()));
        }
        return chain;
    }

    private void publishIfMoved() {
        audit.head().ifPresent(head -> {
            Checkpoint last = newest();
            if (last == null || last.eventId() != head.eventId() || !last.hash().equals(head.hash())) {
                publish(new Checkpoint(clock.instant(), head.eventId(), head.hash()));
            }
        });
    }

    private synchronized Checkpoint newest() {
        file();
        return recent.peekLast();
    }

    private synchronized void publish(Checkpoint checkpoint) {
        Path file = file();
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, checkpoint.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not append the audit checkpoint to " + file, e);
        }
        published.info("at={} eventId={} hash={}", checkpoint.at(), checkpoint.eventId(), checkpoint.hash());
        remember(checkpoint);
    }

    private synchronized void remember(Checkpoint checkpoint) {
        recent.addLast(checkpoint);
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    /**
     * The head of the chain as published.
     *
     * @param at when it was published
     * @param eventId the newest event then
     * @param hash its hash
     */
    public record Checkpoint(Instant at, long eventId, String hash) {

        static final String MISMATCH = "checkpoint-mismatch";

        String line() {
            return at + " " + eventId + " " + hash;
        }

        static Optional<Checkpoint> parse(String line) {
            String[] parts = line.trim().split(" ");
            try {
                return parts.length == 3 ? Optional.of(new Checkpoint(Instant.parse(parts[0]), Long.parseLong(parts[1]), parts[2]))
                        : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
