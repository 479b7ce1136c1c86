package dev.ebb.cli.service;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ebb service}: list, read and delete services. */
@Command(name = "service", aliases = "services", description = "List, read and delete services.",
        subcommands = {ServiceCommand.ListServices.class, ServiceCommand.GetService.class, ServiceCommand.DeleteService.class})
public final class ServiceCommand {

    @Command(name = "list", aliases = "ls", description = "The services of the namespace, or of every namespace with -A.")
    static final class ListServices extends ApiCommand {
        @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace you may read")
        boolean allNamespaces;

        @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Labels, e.g. team=ml,tier!=batch (with -A)")
        String selector;

        @Mixin
        OutputOptions output;

        @Override
        protected void run() {
            String path = allNamespaces || selector != null
                    ? EbbClient.query("/api/v1/services", EbbClient.parameters("namespace", allNamespaces ? null : namespace(),
                            "labelSelector", selector))
                    : EbbClient.servicePath(namespace(), null);
            ObjectNode all = EbbClient.JSON.createObjectNode();
            all.set("items", client().items(path));
            print(output.format(), all, ListServices::table);
        }

        private static String table(JsonNode list) {
            Table table = Table.of("NAMESPACE", "NAME", "READY", "REASON", "LATEST READY", "LATEST CREATED", "TRAFFIC", "URL");
            for (JsonNode service : list.path("items")) {
                JsonNode status = service.path("status");
                JsonNode ready = service.has("ready") ? service.path("ready") : Services.condition(status, "Ready");
                table.row(service.path("namespace").asString(""), service.path("name").asString(""), ready.path("status").asString(""),
                        ready.path("reason").asString(""),
                        first(status.path("latestReadyRevision"), service.path("latestReadyRevision")),
                        first(status.path("latestCreatedRevision"), service.path("latestCreatedRevision")),
                        Services.traffic(service.has("status") ? status.path("traffic") : service.path("traffic")),
                        first(status.path("url"), service.path("url")));
            }
            return table.render();
        }

        private static String first(JsonNode a, JsonNode b) {
            return a.isString() ? a.asString() : b.asString("");
        }
    }

    @Command(name = "get", description = "One service: its spec and status.")
    static final class GetService extends ApiCommand {
        @Parameters(paramLabel = "SERVICE")
        String name;

        @Mixin
        OutputOptions output;

        @Override
        protected void run() {
            print(output.format(), client().get(EbbClient.servicePath(namespace(), name)), Services::describe);
        }
    }

    @Command(name = "delete", description = "Delete a service and its revisions; the audit trail keeps them.")
    static final class DeleteService extends ApiCommand {
        @Parameters(paramLabel = "SERVICE")
        String name;

        @Override
        protected void run() {
            client().delete(EbbClient.servicePath(namespace(), name));
            out().println("service " + namespace() + "/" + name + " deleted");
        }
    }
}
