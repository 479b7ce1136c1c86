package dev.ebb.service;

import dev.ebb.problem.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes equality-based label selector such as {@code team=ml,tier!=batch,gpu}: every term must hold. As in
 * Kubernetes, {@code key!=value} also holds for a service without the label, and a bare {@code key} asks only that
 * the label exists. The set-based forms ({@code in}, {@code notin}, {@code !key}) are refused rather than guessed at.
 */
public record LabelSelector(List<Requirement> requirements) {

    /** Selects every service: the selector of a request that gives none. */
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?" + NAME);
    private static final Pattern VALUE = Pattern.compile("(" + NAME + ")?");
    private static final Pattern TERM = Pattern.compile("([^=!]+?)\\s*(!=|==|=)\\s*(.*)");
    private static final String EXAMPLE = "write terms like team=ml, tier!=batch or gpu, joined by commas";

    /** How a term compares the label's value. */
    public enum Operator {
        EQUALS, NOT_EQUALS, EXISTS
    }

    /** One term; {@code value} is null for {@link Operator#EXISTS}. */
    public record Requirement(String key, Operator operator, String value) {
    }

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    /** The selector {@code text} spells; absent or blank selects everything. A bad term is a 400 naming it. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String raw : terms(text)) {
            requirements.add(term(raw.trim()));
        }
        return new LabelSelector(requirements);
    }

    /** The terms between commas, keeping a set-based {@code (a,b)} whole so that the error can quote it. */
    private static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && depth == 0) {
                terms.add(text.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(text.substring(start));
        return terms;
    }

    private static Requirement term(String term) {
        if (term.isEmpty()) {
            throw bad("has an empty term (two commas in a row, or one at either end); " + EXAMPLE);
        }
        Matcher comparison = TERM.matcher(term);
        if (!comparison.matches()) {
            if (term.startsWith("!") || term.contains(" in ") || term.contains(" notin ") || term.contains("(")) {
                throw bad("term '" + term + "' is a set-based selector, which is not supported here; " + EXAMPLE);
            }
            return new Requirement(key(term, term), Operator.EXISTS, null);
        }
        String key = key(comparison.group(1).trim(), term);
        String value = comparison.group(3).trim();
        if (!VALUE.matcher(value).matches()) {
            throw bad("term '" + term + "' has the value '" + value + "', which no label can have: a value is at most 63 "
                    + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit; " + EXAMPLE);
        }
        return new Requirement(key, "!=".equals(comparison.group(2)) ? Operator.NOT_EQUALS : Operator.EQUALS, value);
    }

    private static String key(String key, String term) {
        if (!KEY.matcher(key).matches()) {
            throw bad("term '" + term + "' has the key '" + key + "', which no label can have: a key is an optional DNS "
                    + "prefix and '/', then at most 63 letters, digits, '-', '_' or '.'; " + EXAMPLE);
        }
        return key;
    }

    private static InvalidInputException bad(String message) {
        return InvalidInputException.unreadable("labelSelector", message);
    }
}
