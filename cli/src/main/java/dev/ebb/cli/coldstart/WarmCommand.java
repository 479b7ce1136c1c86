package dev.ebb.cli.coldstart;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code ebb warm SERVICE}: keeps a revision at a floor of instances for a while, lists such requests or ends them. */
@Command(name = "warm", description = {"Keep a revision warm ahead of traffic (default: the latest created revision, "
        + "1 instance, for 10m), or --list the warm requests that still count, or --end them."})
public final class WarmCommand extends ApiCommand {

    @Parameters(paramLabel = "SERVICE")
    String service;

    @Option(names = "--revision", paramLabel = "REVISION", description = "The revision (default: the latest created); with --end, only its requests")
    String revision;

    @Option(names = "--instances", paramLabel = "N", description = "At least N instances (default 1)")
    Integer instances;

    @Option(names = "--duration", paramLabel = "DURATION", description = "How long, such as 30m (default 10m, at most 24h)")
    String duration;

    @ArgGroup
    Mode mode;

    /** Instead of asking for warmth: list or end. */
    static final class Mode {
        @Option(names = "--list", description = "The warm requests that still count", required = true)
        boolean list;

        @Option(names = "--end", description = "End the service's warm requests (only --revision's when given)", required = true)
        boolean end;
    }

    @Mixin
    OutputOptions output;

    @Override
    protected void run() {
        String path = EbbClient.servicePath(namespace(), service, "warm");
        if (mode != null && mode.end) {
            client().delete(EbbClient.query(path, EbbClient.parameters("revision", revision)));
            out().println("warm requests of " + namespace() + "/" + service + (revision == null ? "" : " for " + revision) + " ended");
            return;
        }
        if (mode != null && mode.list) {
            print(output.format(), client().get(path), list -> table(list.path("items")));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("revision", revision);
        body.put("instances", instances);
        body.put("duration", duration);
        body.values().removeIf(java.util.Objects::isNull);
        JsonNode warm = client().post(path, body);
        print(output.format(), warm, one -> "keeping " + one.path("revision").asString("") + " at " + one.path("instances").asInt()
                + " instance(s) or more until " + one.path("until").asString("") + "\n");
    }

    private static String table(JsonNode items) {
        Table table = Table.of("REVISION", "INSTANCES", "UNTIL", "BY", "CHANGE CAUSE");
        for (JsonNode warm : items) {
            table.row(warm.path("revision").asString(""), warm.path("instances").asInt(), warm.path("until").asString(""),
                    warm.path("createdBy").asString(""), warm.path("changeCause").asString(""));
        }
        return table.render();
    }
}
