package dev.ebb.cli.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the launcher {@code cli/bin/ebb} as a process, as a person or a CI step would, with its own config file and
 * only the environment given here among Ebb's variables.
 */
public final class Cli {

    private final Path configFile;
    private final Map<String, String> env = new HashMap<>();

    public Cli(Path configFile) {
        this.configFile = configFile;
    }

    /** This runner with one more environment variable. */
    public Cli with(String name, String value) {
        Cli copy = new Cli(configFile);
        copy.env.putAll(env);
        copy.env.put(name, value);
        return copy;
    }

    /** What a run left: its exit code and what it printed on each stream (a terminal run has both in {@code out}). */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    public Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        return execute(command, stdin);
    }

    /** Runs in a pseudo-terminal made by util-linux's {@code script}, so that standard output is a TTY. */
    public Result runInTerminal(String... args) {
        StringBuilder line = new StringBuilder(quote(launcher().toString()));
        for (String arg : args) {
            line.append(' ').append(quote(arg));
        }
        return execute(List.of("script", "-qec", line.toString(), "/dev/null"), null);
    }

    private static Path launcher() {
        return RunningEbb.moduleDir().resolve("bin/ebb");
    }

    private Result execute(List<String> command, String stdin) {
        try {
            Path out = Files.createTempFile("ebb-cli-out", ".txt");
            Path err = Files.createTempFile("ebb-cli-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> name.startsWith("EBB_"));
            environment.put("EBB_CONFIG", configFile.toString());
            environment.putAll(env);
            Process process = builder.start();
            try (var input = process.getOutputStream()) {
                if (stdin != null) {
                    input.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            // A bound against a hung CLI only; every wait of the CLI itself is shorter.
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("ebb " + command + " did not end");
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
