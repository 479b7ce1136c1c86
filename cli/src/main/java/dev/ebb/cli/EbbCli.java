package dev.ebb.cli;

import dev.ebb.cli.apply.ApplyCommand;
import dev.ebb.cli.audit.AuditCommand;
import dev.ebb.cli.coldstart.ColdStartsCommand;
import dev.ebb.cli.coldstart.WarmCommand;
import dev.ebb.cli.config.ContextCommand;
import dev.ebb.cli.config.LoginCommand;
import dev.ebb.cli.revision.RevisionCommand;
import dev.ebb.cli.rollout.RolloutCommand;
import dev.ebb.cli.service.ServiceCommand;
import dev.ebb.cli.traffic.TrafficCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code ebb} command: parses the command line, runs the command, and maps every failure to its exit code. */
@Command(name = "ebb", mixinStandardHelpOptions = true, versionProvider = EbbCli.Version.class,
        description = "Ebb's command line: apply services and wait for their revisions, and read and steer them.",
        subcommands = {LoginCommand.class, ContextCommand.class, ApplyCommand.class, ServiceCommand.class, RevisionCommand.class,
                TrafficCommand.class, RolloutCommand.class, ColdStartsCommand.class, WarmCommand.class, AuditCommand.class,
                CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (apply: the revision is ready)", "1:anything else, such as Ebb unreachable or a server error",
                "2:invalid usage or input (or Ebb answered 400, 404, 413, 415 or 422)",
                "3:rejected: not allowed, a conflict or a stale If-Match (401, 403, 409, 412, 429)",
                "4:apply: the revision failed", "5:apply: timed out waiting for the revision"})
public final class EbbCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and answers its exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EbbCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (exception instanceof CliFailure failure) {
                err.println("error: " + failure.getMessage());
                err.flush();
                return failure.exitCode();
            }
            err.println("error: " + exception);
            err.flush();
            return ExitCode.ERROR;
        });
        return cli;
    }

    /** The version the jar was built as. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EbbCli.class.getPackage().getImplementationVersion();
            return new String[] {"ebb " + (version == null ? "(development build)" : version)};
        }
    }
}
