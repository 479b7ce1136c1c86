package dev.ebb.cli.config;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import dev.ebb.cli.client.EbbClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code ebb login}: checks a token against an Ebb and stores both as a context, made current. */
@Command(name = "login", description = {
        "Check a token against Ebb and store the server and token as a context in the config file "
                + "($EBB_CONFIG, else ~/.config/ebb/config, readable by you only), made the current one."})
public final class LoginCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "Ebb's API, e.g. http://localhost:8080")
    String server;

    @ArgGroup(multiplicity = "1")
    TokenSource token;

    /** The token, from the command line or standard input (which keeps it out of the process list and shell history). */
    static final class TokenSource {
        @Option(names = "--token", paramLabel = "TOKEN", description = "An API token", required = true)
        String value;

        @Option(names = "--token-stdin", description = "Read the token from standard input", required = true)
        boolean stdin;
    }

    @Option(names = "--context", paramLabel = "NAME", description = "The context's name (default: the server's host and port)")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", description = "The context's namespace when -n is not given")
    String namespace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        URI uri = Connections.serverUri(server);
        String secret = token.stdin ? readToken() : token.value;
        JsonNode caller = new EbbClient(new Connection(uri, secret, Connections.DEFAULT_NAMESPACE)).get("/api/v1/session");
        String name = context != null ? context : uri.getHost() + (uri.getPort() > 0 ? "-" + uri.getPort() : "");
        ConfigFile file = ConfigFile.of(System.getenv());
        file.save(file.load().withCurrent(new Context(name, uri.toString(), secret, namespace)));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Logged in to " + uri + " as " + caller.path("name").asString("?") + "; context '" + name + "' is current, stored in " + file.path());
        return ExitCode.OK;
    }

    private static String readToken() {
        try {
            String read = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (read.isEmpty()) {
                throw new CliFailure(ExitCode.INVALID, "--token-stdin read nothing: pipe the token in, e.g. echo \"$EBB_TOKEN\" | ebb login ...");
            }
            return read;
        } catch (IOException e) {
            throw new CliFailure(ExitCode.INVALID, "Cannot read the token from standard input: " + e.getMessage(), e);
        }
    }
}
