package dev.ebb.cli.rollout;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Table;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code ebb rollout status|promote|abort|pause|resume SERVICE}. */
@Command(name = "rollout", description = {"A service's latest rollout, and what to do with the one in progress:",
        "  status   the revision, its stable one, step, percent, state and decisions",
        "  promote  all of the latestRevision traffic to the new revision now",
        "  abort    all the traffic back to the stable revision now",
        "  pause    hold the split where it is",
        "  resume   go on from a pause; the step is measured afresh"})
public final class RolloutCommand extends ApiCommand {

    /** What to do; {@code status} only reads. */
    enum Action { STATUS, PROMOTE, ABORT, PAUSE, RESUME }

    /** The actions as they are typed. */
    static final class Actions extends java.util.ArrayList<String> {
        Actions() {
            super(java.util.List.of("status", "promote", "abort", "pause", "resume"));
        }
    }

    @Parameters(index = "0", paramLabel = "ACTION", completionCandidates = Actions.class,
            description = "status, promote, abort, pause or resume")
    Action action;

    @Parameters(index = "1", paramLabel = "SERVICE")
    String service;

    @Mixin
    OutputOptions output;

    @Override
    protected void run() {
        String path = EbbClient.servicePath(namespace(), service, "rollout");
        JsonNode rollout = action == Action.STATUS ? client().get(path)
                : client().post(path, Map.of("action", action.name().toLowerCase(Locale.ROOT)));
        print(output.format(), rollout, RolloutCommand::describe);
    }

    static String describe(JsonNode rollout) {
        StringBuilder text = new StringBuilder();
        String stable = rollout.path("stableRevision").asString("");
        text.append(String.format(Locale.ROOT, "Rollout of %s%s (%s): %s, step %d of %d at %d%%%n",
                rollout.path("revision").asString("?"), stable.isEmpty() ? "" : " from " + stable,
                rollout.path("strategy").asString("?"), rollout.path("state").asString("?"), rollout.path("step").asInt(),
                rollout.path("totalSteps").asInt(), rollout.path("percent").asInt()));
        String reason = rollout.path("reason").asString("");
        if (!reason.isEmpty()) {
            text.append("Reason: ").append(reason).append('\n');
        }
        if (!rollout.path("steps").isEmpty()) {
            Table table = Table.of("STEP", "PERCENT", "DECISION", "REASON");
            for (JsonNode step : rollout.path("steps")) {
                table.row(step.path("step").asInt(), step.path("percent").asInt() + "%", step.path("decision").asString(""),
                        step.path("reason").asString(""));
            }
            text.append(table.render());
        }
        return text.toString();
    }
}
