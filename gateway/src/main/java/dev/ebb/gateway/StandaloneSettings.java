package dev.ebb.gateway;

import dev.ebb.spec.NearestName;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The standalone gateway's settings, read without starting Spring: {@code --name=value} arguments first, then Java
 * system properties, then environment variables, then each setting's {@link DefaultValue}, into the same records Spring
 * Boot binds for the gateway inside the control plane, with the same relaxed names ({@code ebb.gateway.control-plane-url},
 * {@code ebb.gateway.controlPlaneUrl}, {@code EBB_GATEWAY_CONTROL_PLANE_URL} and {@code EBB_GATEWAY_CONTROLPLANEURL} are
 * one setting) and the same value forms ({@code 5s}, {@code 500ms} or {@code PT5S}; lists comma-separated; enums in any
 * case, {@code -} or {@code _}). An argument or system property under {@code ebb.gateway.} or {@code ebb.domain.} that
 * names no setting is refused with the nearest known name; environment variables are not, as Kubernetes and others set
 * variables of their own.
 *
 * @param gateway the {@code ebb.gateway.*} settings
 * @param domains the {@code ebb.domain.*} settings
 * @param dataDir {@code ebb.data-dir}, where the last routing snapshot is kept
 * @param logLevels {@code logging.level.<logger>} settings, by logger name ({@code root} for the root logger)
 */
record StandaloneSettings(GatewayProperties gateway, GatewayDomains domains, Path dataDir, Map<String, String> logLevels) {

    private static final String GATEWAY = "ebb.gateway";
    private static final String DOMAIN = "ebb.domain";
    private static final String DATA_DIR = "ebb.data-dir";
    private static final String DEFAULT_DATA_DIR = ".ebb";
    private static final String LOG_LEVEL = "logging.level.";
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

    /** Settings that cannot be used, each problem a sentence. */
    static final class Refused extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        Refused(List<String> problems) {
            super(String.join("\n", problems));
        }
    }

    /**
     * Reads the settings from the command line's {@code args}, then {@code systemProperties}, then {@code environment},
     * then {@code defaults} (by canonical name, e.g. {@code ebb.gateway.health-port}), then the records' own defaults.
     *
     * @throws Refused naming every setting that cannot be used, and why
     */
    static StandaloneSettings read(List<String> args, Map<String, String> systemProperties, Map<String, String> environment,
            Map<String, String> defaults) {
        List<String> problems = new ArrayList<>();
        Map<String, String> arguments = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.length() == 2) {
                problems.add("'" + arg + "' is not a setting: give settings as --name=value, e.g. --ebb.gateway.port=8081.");
                continue;
            }
            int equals = arg.indexOf('=');
            arguments.put(equals < 0 ? arg.substring(2) : arg.substring(2, equals), equals < 0 ? "" : arg.substring(equals + 1));
        }
        Sources sources = new Sources(arguments, systemProperties, environment, defaults);
        Set<String> known = new TreeSet<>();
        known.add(DATA_DIR);
        keys(GATEWAY, GatewayProperties.class, known);
        keys(DOMAIN, GatewayDomains.class, known);
        refuseUnknown("argument --", arguments.keySet(), known, problems);
        refuseUnknown("system property ", systemProperties.keySet(), known, problems);

        GatewayProperties gateway = bind(GATEWAY, GatewayProperties.class, sources, problems);
        GatewayDomains domains = bind(DOMAIN, GatewayDomains.class, sources, problems);
        Setting dataDir = sources.find(DATA_DIR);
        Path dir = convert(DATA_DIR, dataDir == null ? new Setting(DEFAULT_DATA_DIR, "the default") : dataDir, Path.class, problems);
        if (dir == null && dataDir != null && dataDir.text().isBlank()) {
            problems.add(sentence(DATA_DIR, dataDir, "is empty: name the directory the gateway keeps its last routing snapshot in"));
        }
        Map<String, String> levels = logLevels(sources, problems);
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        return new StandaloneSettings(gateway, domains, dir, levels);
    }

    /** A setting's text and where it came from, in words. */
    private record Setting(String text, String origin) {
    }

    /** The places a setting may come from, most important first. */
    private record Sources(Map<String, String> arguments, Map<String, String> systemProperties, Map<String, String> environment,
            Map<String, String> defaults) {

        Setting find(String key) {
            String uniform = uniform(key);
            for (Map.Entry<String, String> argument : arguments.entrySet()) {
                if (uniform(argument.getKey()).equals(uniform)) {
                    return new Setting(argument.getValue(), "argument --" + argument.getKey());
                }
            }
            for (Map.Entry<String, String> property : systemProperties.entrySet()) {
                if (uniform(property.getKey()).equals(uniform)) {
                    return new Setting(property.getValue(), "system property " + property.getKey());
                }
            }
            for (String name : environmentNames(key)) {
                String value = environment.get(name);
                if (value != null) {
                    return new Setting(value, "environment variable " + name);
                }
            }
            String fallback = defaults.get(key);
            return fallback == null ? null : new Setting(fallback, "the standalone gateway's default");
        }

        /** Whether any setting lies under {@code prefix}, e.g. {@code ebb.gateway.tls}. */
        boolean anyUnder(String prefix) {
            String uniform = uniform(prefix) + ".";
            if (arguments.keySet().stream().anyMatch(k -> uniform(k).startsWith(uniform))
                    || systemProperties.keySet().stream().anyMatch(k -> uniform(k).startsWith(uniform))) {
                return true;
            }
            List<String> names = environmentNames(prefix);
            return environment.keySet().stream().anyMatch(variable -> names.stream()
                    .anyMatch(n -> variable.startsWith(n + (n.contains(".") ? "." : "_"))));
        }
    }

    /** Spring's uniform form of a name: lower case, no dashes or underscores. */
    private static String uniform(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /**
     * The environment variables that may hold {@code key}: {@code EBB_GATEWAY_CONTROL_PLANE_URL},
     * {@code EBB_GATEWAY_CONTROLPLANEURL}, and the name itself ({@code ebb.gateway.control-plane-url}), as Spring reads them.
     */
    private static List<String> environmentNames(String key) {
        String upper = key.toUpperCase(Locale.ROOT).replace('.', '_');
        return List.of(upper.replace('-', '_'), upper.replace("-", ""), key);
    }

    private static void keys(String prefix, Class<? extends Record> type, Set<String> into) {
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord()) {
                keys(key, component.getType().asSubclass(Record.class), into);
            } else {
                into.add(key);
            }
        }
    }

    private static void refuseUnknown(String origin, Set<String> names, Set<String> known, List<String> problems) {
        Set<String> uniformKnown = new TreeSet<>();
        known.forEach(k -> uniformKnown.add(uniform(k)));
        for (String name : names) {
            String uniform = uniform(name);
            boolean ours = uniform.startsWith(uniform(GATEWAY) + ".") || uniform.startsWith(uniform(DOMAIN) + ".")
                    || uniform.startsWith("ebb.datadir");
            if (ours && !uniformKnown.contains(uniform)) {
                problems.add(origin + name + " is no setting of the gateway" + NearestName.among(name, known)
                        .map(nearest -> ": did you mean " + nearest + "?").orElse("; known: " + String.join(", ", known) + "."));
            }
        }
    }

    /** {@code controlPlaneUrl} as Spring names it in settings: {@code control-plane-url}. */
    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The record under {@code prefix}, built with its canonical constructor; null when a component could not be read. */
    private static <T extends Record> T bind(String prefix, Class<T> type, Sources sources, List<String> problems) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        Constructor<T> constructor;
        try {
            constructor = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no canonical constructor in " + type.getName(), e);
        }
        int before = problems.size();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String key = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord()) {
                values[i] = sources.anyUnder(key) ? bind(key, component.getType().asSubclass(Record.class), sources, problems) : null;
                continue;
            }
            Setting setting = sources.find(key);
            // @DefaultValue sits on the canonical constructor's parameter, where Spring reads it too.
            DefaultValue fallback = constructor.getParameters()[i].getAnnotation(DefaultValue.class);
            if (setting == null && fallback != null && fallback.value().length > 0) {
                setting = new Setting(String.join(",", fallback.value()), "the default");
            }
            values[i] = setting == null ? empty(component.getType())
                    : convert(key, setting, component.getGenericType(), problems);
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            problems.add(e.getCause().getMessage());
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    private static Object empty(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        return null;
    }

    private static <T> T convert(String key, Setting setting, Class<T> type, List<String> problems) {
        return type.cast(convert(key, setting, (Type) type, problems));
    }

    private static Object convert(String key, Setting setting, Type type, List<String> problems) {
        String text = setting.text().strip();
        try {
            if (type == String.class) {
                return setting.text();
            }
            if (type == int.class || type == Integer.class) {
                return text.isEmpty() && type == Integer.class ? null : Integer.valueOf(text);
            }
            if (type == boolean.class || type == Boolean.class) {
                return bool(text);
            }
            if (type == Duration.class) {
                return duration(text);
            }
            if (type == Path.class) {
                return text.isEmpty() ? null : Path.of(text);
            }
            if (type instanceof Class<?> enumType && enumType.isEnum()) {
                for (Object constant : enumType.getEnumConstants()) {
                    if (uniform(((Enum<?>) constant).name()).equals(uniform(text))) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException("is none of " + names(enumType));
            }
            if (type instanceof ParameterizedType list && list.getRawType() == List.class
                    && list.getActualTypeArguments()[0] == URI.class) {
                List<URI> urls = new ArrayList<>();
                for (String part : text.split(",")) {
                    if (!part.isBlank()) {
                        urls.add(new URI(part.strip()));
                    }
                }
                return urls;
            }
        } catch (NumberFormatException e) {
            problems.add(sentence(key, setting, "is not a whole number"));
            return null;
        } catch (DateTimeParseException | ArithmeticException e) {
            problems.add(sentence(key, setting, "is not a duration: write e.g. 500ms, 5s, 2m or PT5S"));
            return null;
        } catch (InvalidPathException | java.net.URISyntaxException e) {
            problems.add(sentence(key, setting, "cannot be read: " + e.getMessage()));
            return null;
        } catch (IllegalArgumentException e) {
            problems.add(sentence(key, setting, e.getMessage()));
            return null;
        }
        throw new IllegalStateException("no conversion to " + type + " for " + key);
    }

    private static String sentence(String key, Setting setting, String why) {
        return key + " (from " + setting.origin() + "): \"" + setting.text() + "\" " + why + ".";
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException("is neither true nor false");
        };
    }

    /** Spring's duration forms: a number with an optional unit (ns, us, ms, s, m, h, d; ms without one), or ISO-8601. */
    static Duration duration(String text) {
        if (text.isEmpty()) {
            return null;
        }
        Matcher simple = SIMPLE_DURATION.matcher(text);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            ChronoUnit unit = switch (simple.group(2).toLowerCase(Locale.ROOT)) {
                case "ns" -> ChronoUnit.NANOS;
                case "us" -> ChronoUnit.MICROS;
                case "", "ms" -> ChronoUnit.MILLIS;
                case "s" -> ChronoUnit.SECONDS;
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                case "d" -> ChronoUnit.DAYS;
                default -> throw new DateTimeParseException("unknown unit", text, 0);
            };
            return Duration.of(amount, unit);
        }
        return Duration.parse(text);
    }

    private static String names(Class<?> enumType) {
        List<String> names = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return String.join(", ", names);
    }

    /** {@code logging.level.<logger>=<level>} from every source, the arguments' over the system properties' over the environment's. */
    private static Map<String, String> logLevels(Sources sources, List<String> problems) {
        Map<String, Setting> levels = new LinkedHashMap<>();
        sources.environment().forEach((name, value) -> {
            if (name.startsWith("LOGGING_LEVEL_") && name.length() > "LOGGING_LEVEL_".length()) {
                String logger = name.substring("LOGGING_LEVEL_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                levels.put(logger, new Setting(value, "environment variable " + name));
            }
        });
        sources.systemProperties().forEach((name, value) -> {
            if (name.startsWith(LOG_LEVEL)) {
                levels.put(name.substring(LOG_LEVEL.length()), new Setting(value, "system property " + name));
            }
        });
        sources.arguments().forEach((name, value) -> {
            if (name.startsWith(LOG_LEVEL)) {
                levels.put(name.substring(LOG_LEVEL.length()), new Setting(value, "argument --" + name));
            }
        });
        Map<String, String> valid = new LinkedHashMap<>();
        levels.forEach((logger, setting) -> {
            String level = setting.text().strip().toUpperCase(Locale.ROOT);
            if (LEVELS.contains(level)) {
                valid.put(logger, level);
            } else {
                problems.add(sentence(LOG_LEVEL + logger, setting, "is no log level: use one of " + String.join(", ", new TreeSet<>(LEVELS))));
            }
        });
        return valid;
    }
}
