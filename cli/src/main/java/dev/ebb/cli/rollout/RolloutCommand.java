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
@Command(name = "rollout", description = "A service's latest rollout, and what to do with the one in progress.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.Promote.class, RolloutCommand.Abort.class,
                RolloutCommand.Pause.class, RolloutCommand.Resume.class})
public final class RolloutCommand {

    /** Shared by the five: the service, the output format, and the rollout as a person reads it. */
    abstract static class RolloutAction extends ApiCommand {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @Mixin
        OutputOptions output;

        String path() {
            return EbbClient.servicePath(namespace(), service, "rollout");
        }

        void show(JsonNode rollout) {
            print(output.format(), rollout, RolloutCommand::describe);
        }

        /** POSTs the action named as the command is. */
        void act() {
            show(client().post(path(), Map.of("action", spec.name())));
        }
    }

    @Command(name = "status", description = "The latest rollout: revision, stable revision, step, percent, state and each step's decision.")
    static final class Status extends RolloutAction {
        @Override
        protected void run() {
            show(client().get(path()));
        }
    }

    @Command(name = "promote", description = "Give the new revision all of the latestRevision traffic now.")
    static final class Promote extends RolloutAction {
        @Override
        protected void run() {
            act();
        }
    }

    @Command(name = "abort", description = "Send all the traffic back to the stable revision now.")
    static final class Abort extends RolloutAction {
        @Override
        protected void run() {
            act();
        }
    }

    @Command(name = "pause", description = "Hold the split where it is.")
    static final class Pause extends RolloutAction {
        @Override
        protected void run() {
            act();
        }
    }

    @Command(name = "resume", description = "Go on from a pause; the step is measured afresh.")
    static final class Resume extends RolloutAction {
        @Override
        protected void run() {
            act();
        }
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
