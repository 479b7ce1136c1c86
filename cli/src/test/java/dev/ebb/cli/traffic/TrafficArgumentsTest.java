package dev.ebb.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.cli.CliFailure;
import dev.ebb.spec.TrafficTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficArgumentsTest {

    private static Map<String, String> tags(String... tagAndTarget) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < tagAndTarget.length; i += 2) {
            tags.put(tagAndTarget[i], tagAndTarget[i + 1]);
        }
        return tags;
    }

    @Test
    void aCanarySplitWithATaggedStableRevision() {
        List<TrafficTarget> targets = TrafficArguments.parse(List.of("hello-00001=90", "@latest=10"), tags("stable", "hello-00001"));

        assertThat(targets).containsExactly(new TrafficTarget("hello-00001", null, 90, "stable"), TrafficTarget.latest(10));
    }

    @Test
    void aTagForARevisionOutsideTheSplitAddsItAtZeroPercent() {
        List<TrafficTarget> targets = TrafficArguments.parse(List.of("@latest=100%"), tags("old", "hello-00001", "next", "@latest"));

        assertThat(targets).containsExactly(new TrafficTarget(null, true, 100, "next"), new TrafficTarget("hello-00001", null, 0, "old"));
    }

    @Test
    void aSecondTagForTheSameRevisionIsASecondTarget() {
        List<TrafficTarget> targets = TrafficArguments.parse(List.of("hello-00001=100"), tags("a", "hello-00001", "b", "hello-00001"));

        assertThat(targets).extracting(TrafficTarget::tag).containsExactly("a", "b");
        assertThat(targets).extracting(TrafficTarget::percent).containsExactly(100, 0);
    }

    @Test
    void malformedSharesAreUsageErrorsThatShowTheForm() {
        assertThatThrownBy(() -> TrafficArguments.parse(List.of("hello-00001"), Map.of())).isInstanceOf(CliFailure.class)
                .hasMessageContaining("REVISION=PERCENT");
        assertThatThrownBy(() -> TrafficArguments.parse(List.of("a=ten"), Map.of())).hasMessageContaining("'ten' is not a whole percent");
        assertThatThrownBy(() -> TrafficArguments.parse(List.of("a=101"), Map.of())).hasMessageContaining("from 0 to 100");
        assertThatThrownBy(() -> TrafficArguments.parse(List.of("a=50", "a=50"), Map.of())).hasMessageContaining("'a' is given twice");
        assertThatThrownBy(() -> TrafficArguments.parse(List.of(), Map.of())).hasMessageContaining("No traffic given");
    }
}
