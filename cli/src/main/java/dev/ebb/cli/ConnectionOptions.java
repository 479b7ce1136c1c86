package dev.ebb.cli;

import dev.ebb.cli.config.ConfigFile;
import dev.ebb.cli.config.Connection;
import dev.ebb.cli.config.Connections;
import picocli.CommandLine.Option;

/** The options that choose which Ebb to call; each overrides its environment variable and the config file. */
public final class ConnectionOptions {

    @Option(names = "--server", paramLabel = "URL", description = "Ebb's API, e.g. http://localhost:8080 (EBB_SERVER)")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "An API token (EBB_TOKEN)")
    String token;

    @Option(names = "--context", paramLabel = "NAME", description = "A context from the config file other than the current one (EBB_CONTEXT)")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", description = "The namespace (EBB_NAMESPACE; default: the context's, else default)")
    String namespace;

    /** The namespace as given on the command line, or null. */
    public String namespaceFlag() {
        return namespace;
    }

    public Connection resolve() {
        ConfigFile file = ConfigFile.of(System.getenv());
        return Connections.resolve(new Connections.Flags(server, token, context, namespace), System.getenv(), file.load());
    }
}
