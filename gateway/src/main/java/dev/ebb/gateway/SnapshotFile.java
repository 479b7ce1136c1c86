package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last routing snapshot on disk, so that a gateway restarted while the control plane is away
 * still routes. Written to a temporary file and moved into place, so a crash never leaves half a file.
 */
public final class SnapshotFile {

    private static final Logger log = LoggerFactory.getLogger(SnapshotFile.class);

    private final Path path;

    public SnapshotFile(Path path) {
        this.path = path;
    }

    /** Where a gateway keeps its last snapshot under Ebb's data directory: {@code <dataDir>/gateway/routing.json}. */
    static SnapshotFile inDataDir(Path dataDir) {
        return new SnapshotFile(dataDir.resolve("gateway").resolve("routing.json"));
    }

    /** The persisted snapshot, or null when there is none or it cannot be read (the gateway then starts empty). */
    RoutingSnapshot load() {
        try {
            return SnapshotJson.read(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring the persisted routing snapshot {}: {}", path, e.toString());
            return null;
        }
    }

    /** Persists a snapshot; a failure is logged, never thrown, since routing must go on. */
    void save(RoutingSnapshot snapshot) {
        try {
            Files.createDirectories(path.getParent());
            Path temp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
            try {
                Files.write(temp, SnapshotJson.write(snapshot));
                try {
                    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            log.warn("Could not persist routing snapshot {} to {}: {}", snapshot.version(), path, e.toString());
        }
    }
}
