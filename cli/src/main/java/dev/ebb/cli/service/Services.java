package dev.ebb.cli.service;

import dev.ebb.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/** How a service reads in a terminal. */
public final class Services {

    private Services() {
    }

    /** The condition of that type in a status, or a missing node. */
    public static JsonNode condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (type.equals(condition.path("type").asString(""))) {
                return condition;
            }
        }
        return MissingNode.getInstance();
    }

    /** A traffic list as {@code hello-00002 90%, hello-00001 10% (stable)}; latestRevision targets marked {@code @latest}. */
    public static String traffic(JsonNode targets) {
        List<String> parts = new ArrayList<>();
        for (JsonNode target : targets) {
            String revision = target.path("revision").asString("");
            boolean latest = target.path("latestRevision").asBoolean(false);
            String who = revision.isEmpty() ? "@latest" : latest ? revision + " (@latest)" : revision;
            String tag = target.path("tag").asString("");
            parts.add(who + " " + target.path("percent").asInt(0) + "%" + (tag.isEmpty() ? "" : " tag " + tag));
        }
        return String.join(", ", parts);
    }

    /** A service's settings, status and traffic as labelled lines and a traffic table. */
    public static String describe(JsonNode service) {
        JsonNode status = service.path("status");
        JsonNode ready = condition(status, "Ready");
        StringBuilder text = new StringBuilder();
        line(text, "Name", service.path("namespace").asString("") + "/" + service.path("name").asString(""));
        line(text, "URL", status.path("url").asString(""));
        line(text, "Cluster-local URL", status.path("address").path("url").asString(""));
        line(text, "Visibility", service.path("visibility").asString(""));
        line(text, "Ready", ready.path("status").asString("") + reason(ready));
        for (JsonNode condition : status.path("conditions")) {
            if (!"Ready".equals(condition.path("type").asString(""))) {
                line(text, "  " + condition.path("type").asString(""), condition.path("status").asString("") + reason(condition));
            }
        }
        line(text, "Latest created", status.path("latestCreatedRevision").asString(""));
        line(text, "Latest ready", status.path("latestReadyRevision").asString(""));
        JsonNode rollout = status.path("rollout");
        if (rollout.isObject()) {
            line(text, "Rollout", rollout.path("state").asString("") + ": " + rollout.path("revision").asString("") + " at "
                    + rollout.path("percent").asInt() + "% from " + rollout.path("stableRevision").asString("-"));
        }
        JsonNode metadata = service.path("metadata");
        line(text, "Updated", metadata.path("updatedAt").asString("") + " by " + metadata.path("updatedBy").asString(""));
        line(text, "Resource version", metadata.path("resourceVersion").asString(""));
        text.append("\nTraffic:\n");
        Table table = Table.of("REVISION", "PERCENT", "LATEST", "TAG", "URL");
        for (JsonNode target : status.path("traffic")) {
            table.row(target.path("revision").asString(""), target.path("percent").asInt(0) + "%",
                    target.path("latestRevision").asBoolean(false) ? "yes" : "", target.path("tag").asString(""),
                    target.path("url").asString(""));
        }
        text.append(table.render());
        return text.toString();
    }

    private static String reason(JsonNode condition) {
        String reason = condition.path("reason").asString("");
        String message = condition.path("message").asString("");
        return (reason.isEmpty() ? "" : " " + reason) + (message.isEmpty() ? "" : ": " + message);
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-18s %s%n", label + ":", value.isBlank() ? "-" : value));
    }
}
