package dev.ebb.knative;

import dev.ebb.problem.FieldViolation;
import dev.ebb.spec.NearestName;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads one object of a parsed manifest (maps, lists, strings, numbers, booleans), collecting what is wrong under its
 * path instead of stopping at the first problem: a field Ebb does not know (with the nearest known name), a Knative
 * field Ebb has no equivalent for, or a value of the wrong type. Nothing is converted: {@code "8080"} is not a number.
 */
final class Fields {

    private final String path;
    private final Map<String, Object> object;
    private final List<FieldViolation> violations;

    private Fields(String path, Map<String, Object> object, List<FieldViolation> violations) {
        this.path = path;
        this.object = object;
        this.violations = violations;
    }

    /** The object at {@code path}, or null (reported) when {@code value} is not an object; null stays null. */
    static Fields of(String path, Object value, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            violations.add(new FieldViolation(path, "must be an object (a map of fields), is " + describe(value)));
            return null;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        map.forEach((key, v) -> object.put(String.valueOf(key), v));
        return new Fields(path, object, violations);
    }

    /**
     * Reports every field that is neither {@code supported} nor {@code ignored}: those in {@code unsupported} (Knative's
     * own fields Ebb cannot honour) with their reason, the rest as unknown with the nearest name of any of them.
     */
    Fields check(List<String> supported, List<String> ignored, Map<String, String> unsupported) {
        List<String> known = new ArrayList<>(supported);
        known.addAll(unsupported.keySet());
        for (String name : object.keySet()) {
            if (supported.contains(name) || ignored.contains(name)) {
                continue;
            }
            String reason = unsupported.get(name);
            if (reason != null) {
                violations.add(new FieldViolation(at(name), "is not supported by Ebb: " + reason));
            } else {
                violations.add(new FieldViolation(at(name), unknown(name, known)));
            }
        }
        return this;
    }

    static String unknown(String name, List<String> known) {
        return "unknown field '" + name + "'; " + NearestName.among(name, known)
                .map(n -> "did you mean '" + n + "'?")
                .orElse("known fields here: " + String.join(", ", new TreeSet<>(known)));
    }

    String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
        return object.containsKey(name);
    }

    Object raw(String name) {
        return object.get(name);
    }

    String string(String name) {
        Object value = object.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        violations.add(new FieldViolation(at(name), "must be a string, is " + describe(value)));
        return null;
    }

    Integer integer(String name) {
        return integer(at(name), object.get(name), violations);
    }

    static Integer integer(String path, Object value, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer number) {
            return number;
        }
        if (value instanceof Long || value instanceof BigInteger) {
            violations.add(new FieldViolation(path, "is " + value + ", too large"));
            return null;
        }
        violations.add(new FieldViolation(path, "must be a whole number, is " + describe(value)));
        return null;
    }

    Boolean bool(String name) {
        Object value = object.get(name);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        violations.add(new FieldViolation(at(name), "must be true or false, is " + describe(value)));
        return null;
    }

    Fields object(String name) {
        return of(at(name), object.get(name), violations);
    }

    /** A list, or null (reported) when the value is something else. */
    List<Object> list(String name) {
        Object value = object.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        violations.add(new FieldViolation(at(name), "must be a list, is " + describe(value)));
        return null;
    }

    /** A list of strings, as Kubernetes' {@code command} and {@code args}. */
    List<String> strings(String name) {
        List<Object> items = list(name);
        if (items == null) {
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof String s) {
                strings.add(s);
            } else {
                violations.add(new FieldViolation(at(name) + "[" + i + "]", "must be a string, is " + describe(items.get(i))));
            }
        }
        return strings;
    }

    /** A map of string values, as {@code labels} and {@code annotations}. */
    Map<String, String> stringMap(String name) {
        Fields map = object(name);
        if (map == null) {
            return null;
        }
        Map<String, String> strings = new LinkedHashMap<>();
        map.object.forEach((key, value) -> {
            if (value instanceof String s) {
                strings.put(key, s);
            } else {
                violations.add(new FieldViolation(map.at(key), "must be a string (quote it, e.g. \"" + value + "\"), is "
                        + describe(value)));
            }
        });
        return strings;
    }

    String path() {
        return path;
    }

    List<FieldViolation> violations() {
        return violations;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Boolean) {
            return "the boolean " + value;
        }
        return "the number " + value;
    }
}
