package dev.ebb.spec;

import dev.ebb.problem.FieldViolation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 500m}, {@code 1.5}, {@code 2Gi}, {@code 1e3}) as a template's resources use them. */
final class Quantities {

    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)([numkMGTPE]|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?");
    private static final Pattern NAME = Pattern.compile("(cpu|memory|ephemeral-storage|[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)");

    private Quantities() {
    }

    /** The quantity's value, empty when it is not a quantity. */
    static Optional<BigDecimal> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return Optional.of(number);
        }
        if (suffix.startsWith("e") || suffix.startsWith("E")) {
            return Optional.of(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))));
        }
        return Optional.of(switch (suffix) {
            case "n" -> number.scaleByPowerOfTen(-9);
            case "u" -> number.scaleByPowerOfTen(-6);
            case "m" -> number.scaleByPowerOfTen(-3);
            case "k" -> number.scaleByPowerOfTen(3);
            case "M" -> number.scaleByPowerOfTen(6);
            case "G" -> number.scaleByPowerOfTen(9);
            case "T" -> number.scaleByPowerOfTen(12);
            case "P" -> number.scaleByPowerOfTen(15);
            case "E" -> number.scaleByPowerOfTen(18);
            default -> number.multiply(BigDecimal.valueOf(2).pow(10 * (1 + List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei").indexOf(suffix))));
        });
    }

    /** Names and quantities that Kubernetes accepts, and no request above its limit. */
    static void validate(List<FieldViolation> v, String field, Template.Resources resources) {
        if (resources == null) {
            return;
        }
        check(v, field + ".requests", resources.requests());
        check(v, field + ".limits", resources.limits());
        if (resources.requests() != null && resources.limits() != null) {
            resources.requests().forEach((name, request) -> {
                Optional<BigDecimal> asked = parse(request);
                Optional<BigDecimal> limit = parse(resources.limits().get(name));
                if (asked.isPresent() && limit.isPresent() && asked.get().compareTo(limit.get()) > 0) {
                    v.add(new FieldViolation(field + ".requests." + name, "is " + request + ", more than its limit of "
                            + resources.limits().get(name) + "; a request must not exceed its limit"));
                }
            });
        }
    }

    private static void check(List<FieldViolation> v, String field, Map<String, String> quantities) {
        if (quantities == null) {
            return;
        }
        quantities.forEach((name, value) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                v.add(new FieldViolation(field + "." + name, "is not a resource name: use cpu, memory, ephemeral-storage or "
                        + "an extended resource such as nvidia.com/gpu"));
            } else if (parse(value).isEmpty()) {
                v.add(new FieldViolation(field + "." + name, "is '" + value + "', not a Kubernetes quantity: write e.g. "
                        + ("cpu".equals(name) ? "\"500m\" or \"2\"" : "\"512Mi\" or \"2Gi\"")));
            }
        });
    }
}
