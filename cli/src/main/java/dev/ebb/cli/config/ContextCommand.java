package dev.ebb.cli.config;

import dev.ebb.cli.ExitCode;
import dev.ebb.cli.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ebb context list|use}: the contexts {@code ebb login} stored, and which one commands use. */
@Command(name = "context", description = "List the stored contexts, or choose the current one.",
        subcommands = {ContextCommand.ListContexts.class, ContextCommand.UseContext.class})
public final class ContextCommand {

    @Command(name = "list", description = "The stored contexts; * marks the current one. Tokens are not shown.")
    static final class ListContexts implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CliConfig config = ConfigFile.of(System.getenv()).load();
            Table table = Table.of("CURRENT", "NAME", "SERVER", "NAMESPACE");
            config.contexts().forEach(context -> table.row(context.name().equals(config.currentContext()) ? "*" : " ",
                    context.name(), context.server(), context.namespace() == null ? Connections.DEFAULT_NAMESPACE : context.namespace()));
            spec.commandLine().getOut().print(table.render());
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "use", description = "Make a stored context the current one.")
    static final class UseContext implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ConfigFile file = ConfigFile.of(System.getenv());
            CliConfig config = file.load();
            file.save(config.withCurrent(config.named(name)));
            spec.commandLine().getOut().println("context '" + name + "' is current");
            return ExitCode.OK;
        }
    }
}
