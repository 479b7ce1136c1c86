package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    private static Map<String, Integer> pickMany(TrafficSplit<String> split, int picks, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(split.pick(random.nextInt(100)), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aNinetyTenSplitStaysWithinOnePointOverTenThousandPicks() {
        TrafficSplit<String> split = TrafficSplit.of(List.of("new", "old"), List.of(90, 10));
        for (long seed = 1; seed <= 5; seed++) {
            Map<String, Integer> counts = pickMany(split, 10_000, seed);
            assertThat(counts.get("old") / 100.0).as("seed %d", seed).isCloseTo(10.0, within(1.0));
            assertThat(counts.get("new") / 100.0).as("seed %d", seed).isCloseTo(90.0, within(1.0));
        }
    }

    @Test
    void everyRollLandsExactlyInProportion() {
        TrafficSplit<String> split = TrafficSplit.of(List.of("a", "b", "c"), List.of(33, 1, 66));
        Map<String, Integer> counts = new HashMap<>();
        for (int roll = 0; roll < 100; roll++) {
            counts.merge(split.pick(roll), 1, Integer::sum);
        }
        assertThat(counts).containsEntry("a", 33).containsEntry("b", 1).containsEntry("c", 66);
    }

    @Test
    void aZeroPercentTargetIsNeverPicked() {
        TrafficSplit<String> split = TrafficSplit.of(List.of("tagged", "live"), List.of(0, 100));
        for (int roll = 0; roll < 100; roll++) {
            assertThat(split.pick(roll)).isEqualTo("live");
        }
    }

    @Test
    void aSplitWithNoTrafficPicksNothing() {
        TrafficSplit<String> split = TrafficSplit.of(List.of("a"), List.of(0));
        assertThat(split.isEmpty()).isTrue();
        assertThat(split.pick(0)).isNull();
    }
}
