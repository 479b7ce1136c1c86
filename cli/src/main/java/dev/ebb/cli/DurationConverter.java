package dev.ebb.cli;

import dev.ebb.spec.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as Ebb and Knative write them: {@code 90s}, {@code 5m}, {@code 1m30s}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value).orElseThrow(() -> new TypeConversionException(
                "'" + value + "' is not a duration; write it as 90s, 5m or 1m30s"));
    }
}
