package dev.ebb.cli.traffic;

import dev.ebb.cli.ApiCommand;
import dev.ebb.cli.OutputOptions;
import dev.ebb.cli.client.EbbClient;
import dev.ebb.cli.service.Services;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ebb traffic set}: replaces a service's traffic split. */
@Command(name = "traffic", description = "Set a service's traffic split.", subcommands = TrafficCommand.SetTraffic.class)
public final class TrafficCommand {

    @Command(name = "set", description = {"Replace the service's traffic split, e.g.",
            "  ebb traffic set hello hello-00001=90 @latest=10 --tag stable=hello-00001",
            "@latest follows the latest ready revision; the percents must add up to 100."})
    static final class SetTraffic extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1..*", paramLabel = "TARGET=PERCENT", description = "A revision or @latest, and its percent")
        List<String> shares = List.of();

        @Option(names = "--tag", paramLabel = "TAG=TARGET", description = "Give a revision (or @latest) its own URL; repeatable")
        Map<String, String> tags = new LinkedHashMap<>();

        @Option(names = "--change-cause", paramLabel = "TEXT", description = "Why, kept in the audit trail")
        String changeCause;

        @Mixin
        OutputOptions output;

        @Override
        protected void run() {
            byte[] body = EbbClient.JSON.writeValueAsBytes(Map.of("traffic", TrafficArguments.parse(shares, tags)));
            var response = client().send("PUT", EbbClient.servicePath(namespace(), service, "traffic"), body, "application/json",
                    changeCause == null ? Map.of() : Map.of("Ebb-Change-Cause", changeCause));
            print(output.format(), EbbClient.json(response), view -> "traffic of " + namespace() + "/" + service + " set: "
                    + Services.traffic(view.path("status").path("traffic")) + "\n");
        }
    }
}
