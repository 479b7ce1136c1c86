package dev.ebb.cluster;

import dev.ebb.problem.FieldViolation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Checks that a kubeconfig can reach a cluster: it parses, and its {@code current-context} resolves to a
 * context whose cluster has an https server and whose user exists. Messages name the missing piece by its
 * path in the kubeconfig and quote only names and line numbers, never a value, since users hold tokens,
 * keys and passwords.
 */
final class KubeconfigRules {

    static final String FIELD = "kubeconfig";
    private static final int MAX_ALIASES = 50;
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private KubeconfigRules() {
    }

    /**
     * The outcome of a check.
     *
     * @param server the current context's cluster's server URL, when the kubeconfig is valid
     * @param context the current context's name, when the kubeconfig is valid
     */
    record Checked(String server, String context, List<FieldViolation> violations) {

        boolean valid() {
            return violations.isEmpty();
        }
    }

    static Checked check(String kubeconfig) {
        List<FieldViolation> violations = new ArrayList<>();
        if (kubeconfig == null || kubeconfig.isBlank()) {
            violations.add(new FieldViolation(FIELD, "is required: the YAML text of a kubeconfig file, such as the output of "
                    + "'kubectl config view --minify --flatten'"));
            return new Checked(null, null, violations);
        }
        Object document;
        try {
            document = yaml().load(kubeconfig);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            violations.add(new FieldViolation(FIELD, "is not valid YAML" + where
                    + ": check the indentation, quoting and duplicate keys there"));
            return new Checked(null, null, violations);
        } catch (YAMLException e) {
            violations.add(new FieldViolation(FIELD, "is not valid YAML (or is too large or nested too deeply to read)"));
            return new Checked(null, null, violations);
        }
        if (!(document instanceof Map<?, ?> root)) {
            violations.add(new FieldViolation(FIELD, "must be a YAML mapping with 'clusters', 'contexts', 'users' and "
                    + "'current-context', as kubectl writes it; this is " + describe(document)));
            return new Checked(null, null, violations);
        }
        List<Map<?, ?>> clusters = namedList(root, "clusters", violations);
        List<Map<?, ?>> contexts = namedList(root, "contexts", violations);
        List<Map<?, ?>> users = namedList(root, "users", violations);
        Object current = root.get("current-context");
        if (!(current instanceof String currentName) || currentName.isBlank()) {
            violations.add(new FieldViolation(FIELD + ".current-context", "is missing: set it to the name of the context "
                    + "Ebb should use" + among("contexts", contexts)));
            return new Checked(null, null, violations);
        }
        if (contexts == null) {
            return new Checked(null, null, violations);
        }
        Map<?, ?> context = byName(contexts, currentName);
        if (context == null) {
            violations.add(new FieldViolation(FIELD + ".current-context", "names context '" + currentName
                    + "', which is not in 'contexts'" + among("contexts", contexts)));
            return new Checked(null, null, violations);
        }
        String contextPath = FIELD + ".contexts[" + contexts.indexOf(context) + "].context";
        Map<?, ?> contextBody = context.get("context") instanceof Map<?, ?> body ? body : Map.of();
        String server = null;
        Object clusterName = contextBody.get("cluster");
        if (!(clusterName instanceof String clusterRef) || clusterRef.isBlank()) {
            violations.add(new FieldViolation(contextPath + ".cluster", "is missing: context '" + currentName
                    + "' must name one of the clusters"));
        } else if (clusters != null) {
            Map<?, ?> cluster = byName(clusters, clusterRef);
            if (cluster == null) {
                violations.add(new FieldViolation(contextPath + ".cluster", "names cluster '" + clusterRef
                        + "', which is not in 'clusters'" + among("clusters", clusters)));
            } else {
                String clusterPath = FIELD + ".clusters[" + clusters.indexOf(cluster) + "].cluster.server";
                Object body = cluster.get("cluster");
                Object url = body instanceof Map<?, ?> map ? map.get("server") : null;
                String problem = serverProblem(url);
                if (problem != null) {
                    violations.add(new FieldViolation(clusterPath, problem));
                } else {
                    server = (String) url;
                }
            }
        }
        Object userName = contextBody.get("user");
        if (!(userName instanceof String userRef) || userRef.isBlank()) {
            violations.add(new FieldViolation(contextPath + ".user", "is missing: context '" + currentName
                    + "' must name one of the users"));
        } else if (users != null && byName(users, userRef) == null) {
            violations.add(new FieldViolation(contextPath + ".user", "names user '" + userRef + "', which is not in 'users'"
                    + among("users", users)));
        }
        return violations.isEmpty() ? new Checked(server, currentName, List.of()) : new Checked(null, null, violations);
    }

    /** Why a cluster's server cannot be used, or null. Never quotes the URL: it may carry credentials. */
    static String serverProblem(Object value) {
        if (!(value instanceof String text) || text.isBlank()) {
            return "is missing: the cluster's API server URL, such as https://203.0.113.10:6443";
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            return "is not a URL; write the API server as https://<host>[:port]";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return "must be an https:// URL with a host, such as https://203.0.113.10:6443";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry credentials in the URL; put them in the context's user";
        }
        if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return "must use https: plain http is allowed only for localhost and 127.0.0.1, since the API server sees "
                    + "the user's credentials";
        }
        return null;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(50);
        return new Yaml(new SafeConstructor(options));
    }

    /** The entries of a list of {@code {name: ..., <kind>: {...}}}, or null (with a violation) when it is missing. */
    private static List<Map<?, ?>> namedList(Map<?, ?> root, String key, List<FieldViolation> violations) {
        Object value = root.get(key);
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            violations.add(new FieldViolation(FIELD + "." + key, (value == null ? "is missing" : "must be a non-empty list")
                    + ": a kubeconfig lists its " + key + " as entries with a 'name'"));
            return null;
        }
        List<Map<?, ?>> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> entry && entry.get("name") instanceof String) {
                entries.add(entry);
            } else {
                violations.add(new FieldViolation(FIELD + "." + key + "[" + i + "]", "must be a mapping with a 'name'"));
            }
        }
        return entries;
    }

    private static Map<?, ?> byName(List<Map<?, ?>> entries, String name) {
        return entries.stream().filter(e -> Objects.equals(e.get("name"), name)).findFirst().orElse(null);
    }

    private static String among(String key, List<Map<?, ?>> entries) {
        if (entries == null || entries.isEmpty()) {
            return "";
        }
        return " (" + key + ": " + String.join(", ", entries.stream().map(e -> "'" + e.get("name") + "'").toList()) + ")";
    }

    private static String describe(Object document) {
        if (document == null) {
            return "empty";
        }
        if (document instanceof List<?>) {
            return "a list";
        }
        return "a single value";
    }
}
