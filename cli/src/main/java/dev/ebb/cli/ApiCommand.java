package dev.ebb.cli;

import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Format;
import dev.ebb.cli.output.Printer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** A command that calls Ebb's API: the connection options, a client for them, and the command's output streams. */
public abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    protected ConnectionOptions connectionOptions;

    @Spec
    protected CommandSpec spec;

    private EbbClient client;

    protected EbbClient client() {
        if (client == null) {
            client = new EbbClient(connectionOptions.resolve());
        }
        return client;
    }

    /** The namespace the command acts in. */
    protected String namespace() {
        return client().connection().namespace();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected void print(Format format, JsonNode document, Function<JsonNode, String> human) {
        Printer.print(out(), format, document, human);
    }

    @Override
    public final Integer call() {
        run();
        return ExitCode.OK;
    }

    /** Does the command's work; a failure throws {@link CliFailure} with its exit code. */
    protected abstract void run();
}
