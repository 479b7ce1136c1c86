package dev.ebb.cli.coldstart;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.PageOptions;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code ebb coldstarts SERVICE}: percentiles per revision against the service's SLO, and the latest cold starts. */
@Command(name = "coldstarts", description = "A service's cold starts: per revision p50/p95/p99 against its coldStartSlo, then the latest events.")
public final class ColdStartsCommand extends ApiCommand {

    @Parameters(paramLabel = "SERVICE")
    String service;

    @Option(names = "--since", paramLabel = "TIME", description = "Only those since this RFC 3339 instant")
    String since;

    @Option(names = "--revision", paramLabel = "REVISION", description = "Only this revision's")
    String revision;

    @Mixin
    PageOptions page;

    @Mixin
    OutputOptions output;

    @Override
    protected void run() {
        String path = EbbClient.query(EbbClient.servicePath(namespace(), service, "coldstarts"),
                EbbClient.parameters("since", since, "revision", revision, "limit", page.limit(), "continue",
                page.continueToken()));
        JsonNode view = client().get(path);
        print(output.format(), view, ColdStartsCommand::describe);
        PageOptions.hintNextPage(view, output.format(), err());
    }

    static String describe(JsonNode view) {
        StringBuilder text = new StringBuilder("SLO: ").append(view.path("slo").asString("-")).append('\n');
        text.append(summary(view.path("revisions")));
        if (!view.path("probes").isEmpty()) {
            text.append("\nCaused by the cold-start probe:\n").append(summary(view.path("probes")));
        }
        Table events = Table.of("ARRIVED", "REVISION", "INSTANCE", "STATUS", "TOTAL MS", "WITHIN SLO", "PROBE");
        for (JsonNode event : view.path("items")) {
            events.row(event.path("arrived").asString(""), event.path("revision").asString(""), event.path("instance").asString(""),
                    event.path("status").asInt(), event.path("totalMs").asString(""), event.path("withinSlo").asString(""),
                    event.path("probe").asBoolean(false) ? "yes" : "");
        }
        return text.append('\n').append(events.render()).toString();
    }

    private static String summary(JsonNode revisions) {
        Table table = Table.of("REVISION", "COUNT", "P50 MS", "P95 MS", "P99 MS", "WITHIN SLO");
        for (JsonNode revision : revisions) {
            table.row(revision.path("revision").asString(""), revision.path("count").asInt(), revision.path("p50Ms").asString(""),
                    revision.path("p95Ms").asString(""), revision.path("p99Ms").asString(""), revision.path("withinSlo").asString(""));
        }
        return table.render();
    }
}
