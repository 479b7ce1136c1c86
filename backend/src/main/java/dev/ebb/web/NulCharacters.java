package dev.ebb.web;

import dev.ebb.problem.FieldViolation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds NUL characters in a request body as read: PostgreSQL cannot store them in text, and no name, label,
 * argument or password needs one. Each is reported at its JSON path, such as {@code template.env.MODEL}.
 */
public final class NulCharacters {

    private static final String MESSAGE = "contains a NUL character (\\u0000), which Ebb does not store; remove it";

    private NulCharacters() {
    }

    /** A violation for each string in {@code body} (records, maps, lists, JSON trees) that holds a NUL character. */
    public static List<FieldViolation> in(Object body) {
        List<FieldViolation> found = new ArrayList<>();
        walk(body, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<FieldViolation> found) {
        if (value instanceof String text) {
            if (text.indexOf('\0') >= 0) {
                found.add(new FieldViolation(path, MESSAGE));
            }
        } else if (value instanceof JsonNode node) {
            walkTree(node, path, found);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                String name = String.valueOf(key);
                if (name.indexOf('\0') >= 0) {
                    found.add(new FieldViolation(join(path, name), "the key " + MESSAGE));
                }
                walk(item, join(path, name), found);
            });
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
        } else if (value != null && value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                walk(read(component, value), join(path, component.getName()), found);
            }
        }
    }

    private static void walkTree(JsonNode node, String path, List<FieldViolation> found) {
        if (node.isString()) {
            walk(node.asString(), path, found);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (property.getKey().indexOf('\0') >= 0) {
                    found.add(new FieldViolation(join(path, property.getKey()), "the key " + MESSAGE));
                }
                walkTree(property.getValue(), join(path, property.getKey()), found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkTree(node.get(i), path + "[" + i + "]", found);
            }
        }
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            return null;
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
