package dev.ebb.cli.config;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import dev.ebb.spec.NearestName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The config file's content, like a kubeconfig: named contexts and the one in use. */
public record CliConfig(String currentContext, List<Context> contexts) {

    public CliConfig {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    public static CliConfig empty() {
        return new CliConfig(null, List.of());
    }

    /** This config with {@code context} added, or replacing the one of the same name, and made current. */
    public CliConfig withCurrent(Context context) {
        List<Context> updated = new ArrayList<>();
        boolean replaced = false;
        for (Context existing : contexts) {
            if (existing.name().equals(context.name())) {
                updated.add(context);
                replaced = true;
            } else {
                updated.add(existing);
            }
        }
        if (!replaced) {
            updated.add(context);
        }
        return new CliConfig(context.name(), updated);
    }

    /** The context of that name; an unknown name is a usage error that suggests the nearest one. */
    public Context named(String name) {
        return find(name).orElseThrow(() -> new CliFailure(ExitCode.INVALID, "There is no context '" + name + "' in the config file"
                + NearestName.among(name, contexts.stream().map(Context::name).toList()).map(n -> "; did you mean '" + n + "'?")
                        .orElse("; `ebb login --context " + name + " --server URL --token TOKEN` makes it")));
    }

    /** The current context, if {@code ebb login} made one. */
    public Optional<Context> current() {
        return currentContext == null ? Optional.empty() : find(currentContext);
    }

    private Optional<Context> find(String name) {
        return contexts.stream().filter(context -> context.name().equals(name)).findFirst();
    }
}
