package dev.ebb.cli.config;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the connection: a flag wins over the environment ({@code EBB_SERVER}, {@code EBB_TOKEN},
 * {@code EBB_NAMESPACE}, {@code EBB_CONTEXT}), which wins over the context in the config file.
 */
public final class Connections {

    public static final String DEFAULT_NAMESPACE = "default";

    private Connections() {
    }

    /** What the command line said; each may be null. */
    public record Flags(String server, String token, String context, String namespace) {
    }

    public static Connection resolve(Flags flags, Map<String, String> env, CliConfig config) {
        String contextName = first(flags.context(), env.get("EBB_CONTEXT"));
        Optional<Context> context = contextName != null ? Optional.of(config.named(contextName)) : config.current();
        String server = first(flags.server(), env.get("EBB_SERVER"), context.map(Context::server).orElse(null));
        if (server == null) {
            throw new CliFailure(ExitCode.INVALID, "No Ebb to talk to: run `ebb login --server URL --token TOKEN`, "
                    + "or give --server (or EBB_SERVER) and --token (or EBB_TOKEN)");
        }
        String token = first(flags.token(), env.get("EBB_TOKEN"), context.map(Context::token).orElse(null));
        if (token == null) {
            throw new CliFailure(ExitCode.INVALID, "No token for " + server + ": run `ebb login --server " + server
                    + " --token TOKEN`, or give --token (or EBB_TOKEN)");
        }
        String namespace = first(flags.namespace(), env.get("EBB_NAMESPACE"), context.map(Context::namespace).orElse(null),
                DEFAULT_NAMESPACE);
        return new Connection(serverUri(server), token, namespace);
    }

    /** The server as a base URI without a trailing slash; anything but http(s)://host is a usage error. */
    public static URI serverUri(String server) {
        String trimmed = server.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(server, "not an http:// or https:// URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CliFailure(ExitCode.INVALID, "The server '" + server + "' is not an http:// or https:// URL with a host, "
                    + "such as http://localhost:8080");
        }
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
