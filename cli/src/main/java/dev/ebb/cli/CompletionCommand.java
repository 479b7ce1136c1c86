package dev.ebb.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ebb completion bash|zsh}: the completion script for the shell. zsh runs the bash script through
 * {@code bashcompinit}, which picocli's script loads itself when it runs under zsh.
 */
@Command(name = "completion", description = {"Print the completion script for bash or zsh:",
        "  bash: source <(ebb completion bash)    (or save it under /etc/bash_completion.d/ebb)",
        "  zsh:  source <(ebb completion zsh)     (in ~/.zshrc)"})
final class CompletionCommand implements Callable<Integer> {

    /** The shells there is a script for. */
    enum Shell { BASH, ZSH }

    /** The shells as they are typed. */
    static final class Shells extends java.util.ArrayList<String> {
        Shells() {
            super(java.util.List.of("bash", "zsh"));
        }
    }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", completionCandidates = Shells.class)
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // One script serves both: under zsh it loads bashcompinit itself and registers through it.
        String script = AutoComplete.bash("ebb", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
