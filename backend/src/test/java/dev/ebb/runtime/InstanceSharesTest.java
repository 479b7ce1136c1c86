package dev.ebb.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spec.Placement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InstanceSharesTest {

    private static int[] shares(int total, Placement placement) {
        return placement.clusters().stream().mapToInt(c -> InstanceShares.of(total, placement, c)).toArray();
    }

    @Test
    void oneClusterRunsEverything() {
        assertThat(InstanceShares.of(7, Placement.on("eu"), "eu")).isEqualTo(7);
        assertThat(InstanceShares.of(7, Placement.on("eu"), "us")).as("not placed there").isZero();
    }

    @Test
    void anEvenPlacementSplitsEvenlyAndTheFirstListedTakesTheOddOne() {
        Placement even = new Placement(List.of("eu", "us"));
        assertThat(shares(0, even)).containsExactly(0, 0);
        assertThat(shares(1, even)).containsExactly(1, 0);
        assertThat(shares(3, even)).containsExactly(2, 1);
        assertThat(shares(4, even)).containsExactly(2, 2);
    }

    @Test
    void weightsShareInProportionAndTheLargestRemaindersTakeWhatRoundingLeft() {
        Placement weighted = new Placement(List.of("eu", "us", "ap"), Map.of("eu", 3));
        assertThat(shares(5, weighted)).containsExactly(3, 1, 1);
        assertThat(shares(1, weighted)).containsExactly(1, 0, 0);
        assertThat(shares(2, weighted)).as("eu's remainder 1.2 -> 1 and .2; us .4, ap .4: us comes first").containsExactly(1, 1, 0);
    }

    @Test
    void theSharesAlwaysAddUpToTheTotal() {
        Placement weighted = new Placement(List.of("a", "b", "c", "d"), Map.of("a", 7, "c", 13, "d", 1000));
        IntStream.rangeClosed(0, 200).forEach(total -> assertThat(IntStream.of(shares(total, weighted)).sum()).isEqualTo(total));
    }

    @Test
    void aRevisionComesBackFromZeroWhereItsRequestsWaitAndStaysWhereItRuns() {
        Placement even = new Placement(List.of("eu", "us"));
        assertThat(InstanceShares.of(1, even, "us", Set.of("us"), Set.of())).as("requests held in us").isEqualTo(1);
        assertThat(InstanceShares.of(1, even, "eu", Set.of("us"), Set.of())).isZero();
        assertThat(InstanceShares.of(1, even, "us", Set.of(), Set.of("us"))).as("served: it stays in us").isEqualTo(1);
        assertThat(InstanceShares.of(1, even, "us", Set.of("us"), Set.of("eu"))).as("running in eu, waiting in us (which may "
                + "not reach eu): waiting wins").isEqualTo(1);
        assertThat(InstanceShares.of(1, even, "us", Set.of("us", "eu"), Set.of())).as("both wait: the weights decide").isZero();
        Placement heavy = new Placement(List.of("eu", "us"), Map.of("eu", 9));
        assertThat(InstanceShares.of(3, heavy, "us", Set.of("us"), Set.of())).as("a weight that rounds to none still gets one "
                + "where requests wait").isEqualTo(1);
        assertThat(InstanceShares.of(3, heavy, "eu", Set.of("us"), Set.of())).isEqualTo(2);
    }
}
