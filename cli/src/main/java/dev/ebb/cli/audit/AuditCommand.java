package dev.ebb.cli.audit;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.PageOptions;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code ebb audit}: who changed what, newest first. */
@Command(name = "audit", description = "The audit trail of the namespace (every namespace with -A), newest first.")
public final class AuditCommand extends ApiCommand {

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace")
    boolean allNamespaces;

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only events about this service")
    String service;

    @Option(names = "--actor", paramLabel = "ACTOR", description = "Only events by this actor, e.g. token:ci")
    String actor;

    @Option(names = "--action", paramLabel = "ACTION", split = ",", description = "Only these actions, e.g. service.update,traffic.update; repeatable")
    List<String> actions;

    @Option(names = "--since", paramLabel = "TIME", description = "From this RFC 3339 instant")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Up to this RFC 3339 instant")
    String until;

    @Mixin
    PageOptions page;

    @Mixin
    OutputOptions output;

    @Override
    protected void run() {
        String path = EbbClient.query("/api/v1/audit", EbbClient.parameters("namespace", allNamespaces ? null : namespace(),
                "service", service, "actor", actor, "action", actions, "since", since, "until", until, "limit", page.limit(),
                "continue", page.continueToken()));
        JsonNode events = client().get(path);
        print(output.format(), events, AuditCommand::table);
        PageOptions.hintNextPage(events, output.format(), err());
    }

    private static String table(JsonNode page) {
        Table table = Table.of("TIME", "ACTOR", "ACTION", "NAMESPACE", "TARGET", "CHANGE CAUSE");
        for (JsonNode event : page.path("items")) {
            table.row(event.path("time").asString(""), event.path("actor").asString(""), event.path("action").asString(""),
                    event.path("namespace").asString(""), event.path("target").asString(""), event.path("changeCause").asString(""));
        }
        return table.render();
    }
}
