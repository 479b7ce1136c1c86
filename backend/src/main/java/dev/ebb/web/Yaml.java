package dev.ebb.web;

import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads YAML request bodies as strictly as JSON ones are read, and writes YAML answers. A body is one document of YAML
 * 1.2's core schema (so {@code yes} and {@code on} are strings, not booleans) whose keys are strings and appear once
 * per map; anchors, aliases and explicit tags are refused, which leaves no way to expand a small body into a huge one,
 * and nesting is bounded. What it reads is plain data: maps, lists, strings, whole numbers, decimals, booleans, null.
 */
public final class Yaml {

    /** How deep maps and lists may nest, far beyond any service document or Knative manifest. */
    public static final int MAX_DEPTH = 64;
    public static final String MEDIA_TYPE = "application/yaml";
    public static final String MEDIA_TYPE_X = "application/x-yaml";

    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setAllowDuplicateKeys(false)
            .setAllowRecursiveKeys(false)
            .setAllowNonScalarKeys(false)
            .setMaxAliasesForCollections(0)
            .setCodePointLimit((int) BodySizeLimitFilter.LIMIT)
            .setDefaultMap(LinkedHashMap::new)
            .setLabel("the request body")
            .build();

    private Yaml() {
    }

    /** The body's one document, or a 400 problem that says what is wrong and where. */
    public static Object read(String body) {
        try {
            refuseHostileConstructs(body);
            Object document = new Load(SETTINGS).loadFromString(body);
            requireStringKeys(document, "");
            return document;
        } catch (MarkedYamlEngineException e) {
            throw unreadable(e.getProblem() + where(e.getProblemMark().orElse(null)));
        } catch (YamlEngineException e) {
            throw unreadable(e.getMessage());
        }
    }

    /** Plain data (maps, lists, scalars) as a YAML document in block style. */
    public static String write(Object document) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).build();
        return new Dump(settings).dumpToString(document);
    }

    private static void refuseHostileConstructs(String body) {
        int depth = 0;
        for (Event event : new Parse(SETTINGS).parseString(body)) {
            if (event instanceof AliasEvent) {
                throw unreadable("YAML aliases (*name) are not accepted" + where(event) + "; write the value out");
            }
            if (event instanceof NodeEvent node && node.getAnchor().isPresent()) {
                throw unreadable("YAML anchors (&name) are not accepted" + where(event) + "; write each value out");
            }
            if (event instanceof ScalarEvent scalar && scalar.getTag().isPresent()
                    || event instanceof CollectionStartEvent collection && collection.getTag().isPresent()) {
                throw unreadable("YAML tags (such as !!str) are not accepted" + where(event) + "; quote a string instead");
            }
            if (event instanceof CollectionStartEvent) {
                if (++depth > MAX_DEPTH) {
                    throw unreadable("maps and lists nest more than " + MAX_DEPTH + " deep" + where(event));
                }
            } else if (event.getEventId() == Event.ID.SequenceEnd || event.getEventId() == Event.ID.MappingEnd) {
                depth--;
            }
        }
    }

    private static void requireStringKeys(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw unreadable("the key " + entry.getKey() + (path.isEmpty() ? "" : " in " + path)
                            + " is not a string; quote it");
                }
                requireStringKeys(entry.getValue(), path.isEmpty() ? key : path + "." + key);
            }
        } else if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list);
            for (int i = 0; i < items.size(); i++) {
                requireStringKeys(items.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String where(Event event) {
        return where(event.getStartMark().orElse(null));
    }

    private static String where(Mark mark) {
        return mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    private static InvalidInputException unreadable(String message) {
        return InvalidInputException.unreadable(new FieldViolation("", "malformed YAML: " + message));
    }
}
