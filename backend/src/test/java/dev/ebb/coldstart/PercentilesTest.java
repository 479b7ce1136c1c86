package dev.ebb.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankPicksAMeasuredValue() {
        Percentiles p = Percentiles.of(new long[] {50, 15, 40, 20, 35});

        assertThat(p.at(30)).isEqualTo(20);
        assertThat(p.at(40)).isEqualTo(20);
        assertThat(p.at(50)).isEqualTo(35);
        assertThat(p.at(100)).isEqualTo(50);
    }

    @Test
    void rankIsRoundedUpExactlyWithoutFloatingPointDrift() {
        Percentiles p = Percentiles.of(LongStream.rangeClosed(1, 20).toArray());

        assertThat(p.at(50)).isEqualTo(10);
        assertThat(p.at(95)).isEqualTo(19);
        assertThat(p.at(99)).isEqualTo(20);
        assertThat(p.at(1)).isEqualTo(1);
    }

    @Test
    void oneValueIsEveryPercentile() {
        Percentiles p = Percentiles.of(new long[] {1234});

        assertThat(p.at(1)).isEqualTo(1234);
        assertThat(p.at(99)).isEqualTo(1234);
    }

    @Test
    void noValuesHaveNoPercentiles() {
        Percentiles p = Percentiles.of(new long[0]);

        assertThat(p.at(50)).isNull();
        assertThat(p.fractionAtMost(10)).isNull();
    }

    @Test
    void fractionAtMostCountsValuesEqualToTheLimit() {
        Percentiles p = Percentiles.of(new long[] {1000, 2000, 3000, 12000});

        assertThat(p.fractionAtMost(3000)).isEqualTo(0.75);
        assertThat(p.fractionAtMost(999)).isZero();
    }

    @Test
    void percentOutsideOneToHundredIsAProgrammingError() {
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}).at(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
