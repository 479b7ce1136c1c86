package dev.ebb.cli.revision;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.apply.RevisionProgress;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ebb revision}: a service's revisions. */
@Command(name = "revision", aliases = "revisions", description = "A service's revisions: list them, diff two, read their output.",
        subcommands = {RevisionCommand.ListRevisions.class, RevisionCommand.DiffRevisions.class, RevisionCommand.Logs.class})
public final class RevisionCommand {

    @Command(name = "list", aliases = "ls", description = "The service's revisions, newest first.")
    static final class ListRevisions extends ApiCommand {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @Mixin
        OutputOptions output;

        @Override
        protected void run() {
            String path = EbbClient.servicePath(namespace(), service, "revisions");
            ObjectNode all = EbbClient.JSON.createObjectNode();
            all.set("items", client().items(path));
            print(output.format(), all, ListRevisions::table);
        }

        private static String table(JsonNode list) {
            Table table = Table.of("NAME", "READY", "REASON", "INSTANCES", "CREATED", "BY", "CHANGE CAUSE");
            for (JsonNode revision : list.path("items")) {
                RevisionProgress progress = RevisionProgress.of(revision);
                JsonNode instances = revision.path("status").path("instances");
                JsonNode metadata = revision.path("metadata");
                table.row(revision.path("name").asString(""), switch (progress.state()) {
                    case READY -> "True";
                    case FAILED -> "False";
                    case WAITING -> "Unknown";
                }, progress.state() == RevisionProgress.State.READY ? "" : progress.phase(),
                        instances.path("ready").asInt(0) + "/" + instances.path("desired").asInt(0),
                        metadata.path("createdAt").asString(""), metadata.path("createdBy").asString(""),
                        metadata.path("changeCause").asString(""));
            }
            return table.render();
        }
    }

    @Command(name = "diff", description = "What changed in the template from revision FROM to revision TO, setting by setting.")
    static final class DiffRevisions extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "FROM")
        String from;

        @Parameters(index = "2", paramLabel = "TO")
        String to;

        @Mixin
        OutputOptions output;

        @Override
        protected void run() {
            JsonNode diff = client().get(EbbClient.servicePath(namespace(), service, "revisions", from, "diff", to));
            print(output.format(), diff, DiffRevisions::text);
        }

        private static String text(JsonNode diff) {
            if (diff.path("identical").asBoolean(false)) {
                return diff.path("from").asString("") + " and " + diff.path("to").asString("") + " run the same template\n";
            }
            Table table = Table.of("SETTING", "CHANGE", diff.path("from").asString("FROM").toUpperCase(java.util.Locale.ROOT),
                    diff.path("to").asString("TO").toUpperCase(java.util.Locale.ROOT));
            for (JsonNode change : diff.path("changes")) {
                table.row(change.path("path").asString(""), change.path("kind").asString(""), value(change.path("from")),
                        value(change.path("to")));
            }
            return table.render();
        }

        private static String value(JsonNode node) {
            return node.isMissingNode() || node.isNull() ? "" : node.isString() ? node.asString() : node.toString();
        }
    }

    @Command(name = "logs", description = "What the revision's instances printed, each line as <time> <instance> <text>.")
    static final class Logs extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "REVISION")
        String revision;

        @Option(names = "--tail", defaultValue = "200", paramLabel = "LINES", description = "The last LINES lines (default ${DEFAULT-VALUE})")
        int tail;

        @Option(names = {"-f", "--follow"}, description = "Go on printing new lines until interrupted")
        boolean follow;

        @Option(names = "--instance", paramLabel = "NAME", description = "Only this instance")
        String instance;

        @Option(names = {"-p", "--previous"}, description = "Each instance's run before its current one (what a crashed run printed)")
        boolean previous;

        @Override
        protected void run() {
            String path = EbbClient.query(EbbClient.servicePath(namespace(), service, "revisions", revision, "logs"),
                    EbbClient.parameters("tail", tail, "follow", follow ? true : null, "instance", instance, "previous",
                            previous ? true : null));
            out().flush();
            try (InputStream body = client().stream(path)) {
                copy(body, System.out);
            } catch (IOException e) {
                throw new CliFailure(ExitCode.ERROR, "The log stream ended: " + e.getMessage(), e);
            }
        }

        private static void copy(InputStream in, PrintStream out) throws IOException {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                if (in.available() == 0) {
                    out.flush();
                }
            }
            out.flush();
        }
    }
}
