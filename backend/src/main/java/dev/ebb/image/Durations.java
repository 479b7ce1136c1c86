package dev.ebb.image;

import java.time.Duration;

/** Durations as a sentence says them: {@code 500 ms}, {@code 4 s}, {@code 5 min}. */
final class Durations {

    private Durations() {
    }

    static String spoken(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000 || millis % 1000 != 0) {
            return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return seconds >= 60 && seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
