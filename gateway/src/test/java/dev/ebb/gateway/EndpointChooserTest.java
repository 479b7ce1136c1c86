package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class EndpointChooserTest {

    private static IntUnaryOperator loads(int... inFlight) {
        return i -> inFlight[i];
    }

    @Test
    void withTwoInstancesTheLessLoadedOneIsChosen() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            assertThat(EndpointChooser.choose(2, loads(5, 2), random)).isEqualTo(1);
            assertThat(EndpointChooser.choose(2, loads(0, 3), random)).isEqualTo(0);
        }
    }

    @Test
    void idleInstancesShareSequentialRequests() {
        SplittableRandom random = new SplittableRandom(7);
        int[] chosen = new int[2];
        for (int i = 0; i < 1000; i++) {
            chosen[EndpointChooser.choose(2, loads(0, 0), random)]++;
        }
        assertThat(chosen[0]).isBetween(400, 600);
    }

    @Test
    void powerOfTwoChoicesNeverPicksTheBusiestOfThree() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            assertThat(EndpointChooser.choose(3, loads(1, 100, 2), random)).isNotEqualTo(1);
        }
    }

    @Test
    void powerOfTwoChoicesComparesTwoDistinctInstances() {
        SplittableRandom random = new SplittableRandom(3);
        int[] chosen = new int[4];
        for (int i = 0; i < 4000; i++) {
            chosen[EndpointChooser.powerOfTwoChoices(4, loads(0, 0, 0, 9), random)]++;
        }
        assertThat(chosen[3]).as("the loaded instance only wins against itself, which never happens").isZero();
        assertThat(chosen[0]).isGreaterThan(800);
        assertThat(chosen[2]).isGreaterThan(800);
    }

    @Test
    void aLeastOutstandingScanFindsTheIdleInstanceAnywhere() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            assertThat(EndpointChooser.leastOutstanding(5, loads(4, 3, 2, 0, 1), random)).isEqualTo(3);
        }
    }
}
