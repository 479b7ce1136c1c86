package dev.ebb.runtime.local;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands {@code $(NAME)} references in a command line from the instance's environment, as Kubernetes does. */
final class Argv {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private Argv() {
    }

    /**
     * Replaces {@code $(NAME)} with the variable's value; {@code $$} stands for a literal {@code $}, and a
     * reference to an unknown variable stays as written.
     */
    static List<String> expand(List<String> argv, Map<String, String> env) {
        return argv.stream().map(arg -> expand(arg, env)).toList();
    }

    static String expand(String arg, Map<String, String> env) {
        Matcher m = REFERENCE.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                replacement = env.getOrDefault(m.group(1), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
