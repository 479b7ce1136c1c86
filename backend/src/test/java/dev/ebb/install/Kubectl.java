package dev.ebb.install;

import dev.ebb.support.RealKubernetes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine's kubectl, run as a process: {@code EBB_KUBECTL} when set, else the one beside the test API server's
 * binaries ({@code scripts/kube-test-binaries.sh} links it there), else the first on the {@code PATH}.
 */
final class Kubectl {

    /** What a run left behind. */
    record Result(int exitCode, String out, String err) {

        Result orFail(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + err + out);
            }
            return this;
        }
    }

    private final Path executable;
    private final Path workDir;

    private Kubectl(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** Finds kubectl, or fails the test with what to install. */
    static Kubectl find(Path workDir) {
        Optional<Path> found = Optional.ofNullable(System.getenv("EBB_KUBECTL")).map(Path::of)
                .or(() -> Optional.of(RealKubernetes.binaries().resolve("kubectl")).filter(Files::isExecutable))
                .or(() -> Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                        .filter(dir -> !dir.isBlank())
                        .map(dir -> Path.of(dir, "kubectl"))
                        .filter(Files::isExecutable)
                        .findFirst());
        if (found.isEmpty() || !Files.isExecutable(found.get())) {
            throw new AssertionError("No kubectl to render and apply k8s/ with: install one (kubectl 1.21 or newer, for "
                    + "kustomize v4+; Debian: kubernetes-client) or set EBB_KUBECTL to its path");
        }
        return new Kubectl(found.get(), workDir);
    }

    /** Runs {@code kubectl args...} with {@code stdin} as its input (none when null), waiting up to two minutes. */
    Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "kubectl", ".out");
        Path err = Files.createTempFile(workDir, "kubectl", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try (var input = process.getOutputStream()) {
            if (stdin != null) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within two minutes");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
