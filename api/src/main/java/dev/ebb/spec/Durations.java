package dev.ebb.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written the way Knative and Go write them: {@code 500ms}, {@code 10s}, {@code 1m30s}, {@code 1h}. */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("(\\d+(\\.\\d+)?(h|ms|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)");

    private Durations() {
    }

    /** The duration the text denotes, or empty when it is not of that form. */
    public static Optional<Duration> parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        BigDecimal millis = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            BigDecimal amount = new BigDecimal(part.group(1));
            long unit = switch (part.group(2)) {
                case "h" -> 3_600_000L;
                case "m" -> 60_000L;
                case "s" -> 1_000L;
                default -> 1L;
            };
            millis = millis.add(amount.multiply(BigDecimal.valueOf(unit)));
        }
        if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000L)) > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(millis.longValue()));
    }

    /**
     * The canonical spelling: the largest unit that expresses the duration exactly ({@code 1h}, {@code 90s},
     * {@code 1500ms}), so equal durations always compare equal as text.
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1_000L == 0) {
            return millis / 1_000L + "s";
        }
        return millis + "ms";
    }
}
