package dev.ebb.runtime.local;

import dev.ebb.runtime.RevisionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CPU control group per revision for the local runtime's instances (Linux cgroup v1's {@code cpu} controller),
 * each with the same weight whatever its number of instances: the kernel then shares the CPU between revisions, and
 * between them and Ebb itself, the way it shares a node between pods, so that a revision starting fifteen instances
 * at once cannot starve the gateway or another service. Without it, each instance runs in a session of its own, and
 * with the kernel's session groups every instance weighs as much as all of Ebb. Inside its revision's group each
 * instance has a group of its own, all of one weight, as each pod has on a node: the revision's share is split between
 * its instances, not between their threads, so that instances starting beside serving ones (a JVM starting runs a
 * dozen threads: compilers, collectors) cannot take the serving ones' part of it.
 *
 * <p>All instances together weigh half as much as Ebb's own processes ({@link #INSTANCES_SHARES}).
 *
 * <p>Off (and saying why, once) where the controller is not mounted, or Ebb may not create groups in it (not root):
 * instances then run as before. The groups live under Ebb's own group, in one directory per runtime directory.
 */
final class CpuGroups {

    private static final Logger log = LoggerFactory.getLogger(CpuGroups.class);
    private static final Path MOUNTS = Path.of("/proc/self/mountinfo");
    private static final Path OWN = Path.of("/proc/self/cgroup");
    /** What writing a pid that has exited to {@code cgroup.procs} fails with (ESRCH). */
    private static final String NO_SUCH_PROCESS = "No such process";
    /**
     * The weight of all instances together ({@code cpu.shares} of the runtime's directory) against each of Ebb's own
     * processes or session groups (1,024 each): half, so that when the instances ask for every core (fifteen JVMs
     * starting at once) the gateway and control plane still get twice their part, as a node keeps CPU for its own
     * daemons (Kubernetes' kube-reserved). A weight counts only when the CPU is short: on an idle host an instance gets
     * every core it asks for. Measured in {@code bench/resilience/README.md} (scenario 7, session 21).
     */
    static final int INSTANCES_SHARES = 512;

    private final Path base;
    private final String state;
    /**
     * Moves instances into their groups off the path that starts them: a move waits for the kernel to quiesce every
     * CPU (2-12 ms here), which a cold start would otherwise wait for before its instance could even be probed.
     */
    private final ExecutorService mover;

    private CpuGroups(Path base, String state) {
        this.base = base;
        this.state = state;
        this.mover = base == null ? null : Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ebb-cpu-groups");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** No groups: instances share the CPU as the kernel would have them. */
    static CpuGroups off(String why) {
        return new CpuGroups(null, why);
    }

    /**
     * Creates the directory for the groups of the runtime whose data lives in {@code workDirectory}, under Ebb's own
     * cpu group, or says why it cannot.
     */
    static CpuGroups create(Path workDirectory) {
        Optional<Path> own;
        try {
            own = ownGroup(Files.readAllLines(MOUNTS, StandardCharsets.UTF_8), Files.readAllLines(OWN, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return off("cannot read " + MOUNTS + " or " + OWN + ": " + e.getMessage());
        }
        if (own.isEmpty()) {
            return off("no cgroup v1 cpu controller is mounted (cgroup v2 is not supported yet)");
        }
        Path base = own.get().resolve("ebb-" + Integer.toHexString(workDirectory.toAbsolutePath().normalize().toString().hashCode()));
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            return off("cannot create " + base + " (" + e.getMessage() + "); Ebb needs to run as root for it");
        }
        try {
            Files.writeString(base.resolve("cpu.shares"), Integer.toString(INSTANCES_SHARES));
        } catch (IOException e) {
            log.warn("Could not give the instances' CPU group {} its weight of {}: {}", base, INSTANCES_SHARES, e.getMessage());
        }
        return new CpuGroups(base, "on: one group per revision under " + base + ", all instances together weighing "
                + INSTANCES_SHARES + " against Ebb's 1024");
    }

    /**
     * The directory of this process's own group in a cgroup v1 hierarchy with the {@code cpu} controller, from
     * {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}.
     */
    static Optional<Path> ownGroup(List<String> mountinfo, List<String> cgroups) {
        for (String mount : mountinfo) {
            String[] halves = mount.split(" - ", 2);
            if (halves.length < 2) {
                continue;
            }
            String[] fields = halves[0].split(" ");
            String[] filesystem = halves[1].split(" ");
            if (fields.length < 5 || filesystem.length < 3 || !filesystem[0].equals("cgroup")
                    || !Arrays.asList(filesystem[2].split(",")).contains("cpu")) {
                continue;
            }
            String root = fields[3];
            Path mountPoint = Path.of(fields[4]);
            for (String line : cgroups) {
                String[] parts = line.split(":", 3);
                if (parts.length == 3 && Arrays.asList(parts[1].split(",")).contains("cpu")) {
                    String path = parts[2];
                    String relative = path.startsWith(root) ? path.substring(root.length()) : path;
                    relative = relative.replaceFirst("^/+", "");
                    return Optional.of(relative.isEmpty() ? mountPoint : mountPoint.resolve(relative));
                }
            }
        }
        return Optional.empty();
    }

    boolean on() {
        return base != null;
    }

    /** Whether it is on, and where, or why not. */
    String describe() {
        return state;
    }

    /** The group of a revision's instances, whether it exists yet or not; empty when off. */
    Optional<Path> group(RevisionKey key) {
        return on() ? Optional.of(base.resolve(key.namespace() + "." + key.revision())) : Optional.empty();
    }

    /** The group of one instance, inside its revision's; empty when off. */
    Optional<Path> group(RevisionKey key, String instance) {
        return group(key).map(revision -> revision.resolve(instance));
    }

    /**
     * Moves a just started instance, and whatever it has started by then, into its own group in its revision's, in the
     * background: the instance runs meanwhile (in Ebb's group, for a few milliseconds). What it starts after the move
     * is born there. A failure costs only the isolation of that instance, and is logged.
     */
    void join(RevisionKey key, String instance, ProcessHandle process) {
        if (on()) {
            try {
                mover.execute(() -> move(key, instance, process));
            } catch (RejectedExecutionException e) {
                // closing: the instance is stopped with the rest
            }
        }
    }

    private void move(RevisionKey key, String instance, ProcessHandle process) {
        Optional<Path> group = group(key, instance);
        if (group.isEmpty() || !process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(group.get());
            Path procs = group.get().resolve("cgroup.procs");
            // The instance first: what it starts from then on is born in the group; what it started before is listed after.
            move(procs, process);
            for (ProcessHandle child : process.descendants().toList()) {
                move(procs, child);
            }
        } catch (IOException e) {
            log.warn("Could not put instance pid {} of {} into its CPU group {}: {}", process.pid(), key.revision(), group.get(),
                    e.getMessage());
        }
    }

    private static void move(Path procs, ProcessHandle process) throws IOException {
        try {
            Files.writeString(procs, Long.toString(process.pid()));
        } catch (IOException e) {
            // The kernel refuses to move a process that has exited (ESRCH, "No such process", from the write), which
            // the JDK still counts as alive until it is reaped: an instance that crashed at once, reported as such.
            if (process.isAlive() && !NO_SUCH_PROCESS.equals(e.getMessage())) {
                throw e;
            }
        }
    }

    /**
     * Removes an instance's group once it has no process left (an instance that starts again under its id makes it
     * anew). In turn with the moves, so that a move never finds its group taken away half-way.
     */
    void left(RevisionKey key, String instance) {
        group(key, instance).ifPresent(this::deleteInTurn);
    }

    /**
     * Removes a revision's group, and those of its instances, once they have no process left; one still in use stays.
     * In turn with the moves, as {@link #left} does.
     */
    void remove(RevisionKey key) {
        group(key).ifPresent(this::deleteInTurn);
    }

    private void deleteInTurn(Path group) {
        try {
            mover.execute(() -> deleteEmpty(group));
        } catch (RejectedExecutionException e) {
            // closing: close() removes the empty groups
        }
    }

    /** Removes every group without processes: at start, those a previous run with the same directory left. */
    void removeEmpty() {
        if (!on()) {
            return;
        }
        try (Stream<Path> groups = Files.list(base)) {
            groups.filter(Files::isDirectory).forEach(CpuGroups::deleteEmpty);
        } catch (IOException e) {
            log.debug("Could not list {}", base, e);
        }
    }

    /** Removes a revision's group after its instances' groups, each only if no process is left in it. */
    private static void deleteEmpty(Path group) {
        try (Stream<Path> instances = Files.list(group)) {
            // A group's directory lists its control files too; only the directories are groups.
            instances.filter(Files::isDirectory).forEach(CpuGroups::deleteIfEmpty);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            log.debug("Could not list {}", group, e);
        }
        deleteIfEmpty(group);
    }

    /** Removes every group without processes, and the directory itself if they all went. */
    void close() {
        if (on()) {
            mover.shutdownNow();
            removeEmpty();
            deleteIfEmpty(base);
        }
    }

    private static void deleteIfEmpty(Path group) {
        try {
            // A control group is removed with rmdir however many control files it shows, and only once no process is in it.
            Files.delete(group);
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
            // gone already, or a group of its own remains (a process still in it reads as busy, logged below)
        } catch (IOException e) {
            log.debug("CPU group {} stays: {}", group, e.getMessage());
        }
    }
}
