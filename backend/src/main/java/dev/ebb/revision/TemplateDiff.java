package dev.ebb.revision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The semantic difference between two templates: one entry per changed setting, named by its path
 * ({@code image}, {@code env.MODEL_URI}, {@code scale.max}). Lists such as {@code command} compare whole.
 */
public final class TemplateDiff {

    /** How one setting differs: {@code added}, {@code removed} or {@code changed}. */
    public record Change(String path, String kind, JsonNode from, JsonNode to) {
    }

    private TemplateDiff() {
    }

    public static List<Change> between(JsonNode from, JsonNode to) {
        Map<String, JsonNode> before = flatten(from);
        Map<String, JsonNode> after = flatten(to);
        TreeMap<String, Boolean> paths = new TreeMap<>();
        before.keySet().forEach(p -> paths.put(p, true));
        after.keySet().forEach(p -> paths.put(p, true));
        List<Change> changes = new ArrayList<>();
        for (String path : paths.keySet()) {
            JsonNode a = before.get(path);
            JsonNode b = after.get(path);
            if (a == null) {
                changes.add(new Change(path, "added", null, b));
            } else if (b == null) {
                changes.add(new Change(path, "removed", a, null));
            } else if (!Objects.equals(a, b)) {
                changes.add(new Change(path, "changed", a, b));
            }
        }
        return changes;
    }

    /** A one-line summary of a diff, such as {@code image, env.MODEL_URI}. */
    public static String summary(List<Change> changes) {
        if (changes.isEmpty()) {
            return "no template change";
        }
        return String.join(", ", changes.stream().map(Change::path).toList());
    }

    private static Map<String, JsonNode> flatten(JsonNode node) {
        Map<String, JsonNode> leaves = new TreeMap<>();
        flatten("", node, leaves);
        return leaves;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), leaves);
            }
        } else {
            leaves.put(prefix, node);
        }
    }
}
