package dev.ebb.resilience;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of a resilience suite measured, in the shape RELIABILITY.md gives it: a table of the scenarios' load,
 * fault, counts and recovery, the other figures per scenario, and the run's circumstances (commit, machine, load
 * average before and after, since the figures depend on how busy the machine was).
 */
final class Report {

    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    private final Instant started = Instant.now();
    private final String loadBefore = loadAverage();

    /** Records (or replaces) a scenario's outcome and prints it as it comes. */
    void add(Outcome outcome) {
        outcomes.put(outcome.scenario(), outcome);
        System.out.println("resilience: " + outcome);
    }

    int size() {
        return outcomes.size();
    }

    /** The table of outcomes, then a blank line. */
    List<String> table() {
        List<String> out = new ArrayList<>();
        out.add("| scenario | load | fault | sent | failed | lost | recovery |");
        out.add("|---|---|---|---:|---:|---:|---|");
        for (Outcome o : outcomes.values()) {
            out.add(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | %s |", o.scenario(), o.load(), o.fault(), o.sent(),
                    o.failed(), o.lost(), o.recovery()));
        }
        out.add("");
        return out;
    }

    /** One line of other figures per scenario. */
    List<String> figures() {
        return outcomes.values().stream().map(o -> "- **" + o.scenario() + "**: " + o.notes()).toList();
    }

    /** The run's circumstances, as list items. */
    List<String> run(String command) {
        return List.of("- Command (from the repository root, after `mvn -B -pl api,gateway install -DskipTests`): `" + command + "`",
                "- Started " + started + ", took " + Duration.between(started, Instant.now()).toSeconds() + " s",
                "- Commit: " + command("git", "rev-parse", "--short", "HEAD") + (command("git", "status", "--porcelain").isEmpty()
                        ? "" : " (with uncommitted changes)"),
                "- Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + command("sh", "-c",
                        "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trim() + ", "
                        + (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        ? os.getTotalMemorySize() / (1L << 30) + " GiB" : "?") + ", Linux " + System.getProperty("os.version")
                        + ", Java " + System.getProperty("java.version"),
                "- Load average (1/5/15 min, runnable/total, last pid) before: " + loadBefore + "; after: " + loadAverage());
    }

    /** /proc/loadavg now: how busy the machine was. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String command(String... args) {
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
