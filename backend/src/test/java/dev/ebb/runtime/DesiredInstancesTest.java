package dev.ebb.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.revision.RunState;
import dev.ebb.spec.Placement;
import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredInstancesTest {

    private static Template minScale(int min) {
        return ServiceRules.withDefaults(new Template(null, List.of("server"), null, null, null, null, null, null, null,
                new Template.Scale(min, null, null, null, null, null)), TemplateDefaults.standard());
    }

    private static DesiredInstances.ServiceFacts service(String latest, List<String> routed, Map<String, Template> templates) {
        return new DesiredInstances.ServiceFacts("ml", "hello", latest, routed, templates);
    }

    @Test
    void withoutAnAutoscalerRoutedRevisionsAndTheLatestRunOneInstanceEach() {
        List<RevisionDeployment> desired = DesiredInstances.of(List.of(service("hello-00003", List.of("hello-00001"),
                Map.of("hello-00001", minScale(0), "hello-00002", minScale(0), "hello-00003", minScale(0)))), ScalePolicy.ALWAYS_ON, 100);
        assertThat(desired).extracting(d -> d.key().revision(), RevisionDeployment::instances)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello-00001", 1),
                        org.assertj.core.groups.Tuple.tuple("hello-00003", 1));
    }

    @Test
    void minScaleRaisesTheCount() {
        List<RevisionDeployment> desired = DesiredInstances.of(List.of(service("hello-00001", List.of("hello-00001"),
                Map.of("hello-00001", minScale(3)))), ScalePolicy.ALWAYS_ON, 100);
        assertThat(desired).singleElement().satisfies(d -> assertThat(d.instances()).isEqualTo(3));
    }

    @Test
    void aRevisionIsListedOnceWhenRoutedAndLatest() {
        List<RevisionDeployment> desired = DesiredInstances.of(List.of(service("hello-00001",
                List.of("hello-00001", "hello-00001"), Map.of("hello-00001", minScale(0)))), ScalePolicy.ALWAYS_ON, 100);
        assertThat(desired).hasSize(1);
    }

    @Test
    void noRevisionGetsMoreInstancesThanTheClusterLimitWhateverThePolicyWants() {
        ScalePolicy wantsThousands = new ScalePolicy() {
            @Override
            public int instances(RevisionKey revision, Template template) {
                return 100_000;
            }

            @Override
            public long version() {
                return 1;
            }
        };
        List<RevisionDeployment> desired = DesiredInstances.of(List.of(service("hello-00001", List.of("hello-00001"),
                Map.of("hello-00001", minScale(0)))), wantsThousands, 100);
        assertThat(desired).singleElement().satisfies(d -> assertThat(d.instances()).isEqualTo(100));
    }

    private static final RunState READY = new RunState("True", null, false);
    private static final RunState PAST_DEADLINE = new RunState("False", "ProgressDeadlineExceeded", false);

    @Test
    void aRevisionThatFailedAtItsDeadlineRunsNothingWhileNoTrafficIsRoutedToIt() {
        assertThat(DesiredInstances.held(Map.of("hello-00001", READY, "hello-00002", PAST_DEADLINE), List.of("hello-00001")))
                .containsExactly("hello-00002");
    }

    @Test
    void aRevisionThatFailedAtItsDeadlineButHasTrafficGoesOnBeingTried() {
        assertThat(DesiredInstances.held(Map.of("hello-00002", PAST_DEADLINE), List.of("hello-00002"))).isEmpty();
        assertThat(DesiredInstances.held(Map.of("hello-00002", new RunState("False", "CrashLoop", false)), List.of()))
                .as("a crash loop within the deadline is still being tried").isEmpty();
    }

    @Test
    void aStoppedRevisionRunsNothingWhateverItsTraffic() {
        assertThat(DesiredInstances.held(Map.of("hello-00001", new RunState("False", "CrashLoop", true)), List.of("hello-00001")))
                .containsExactly("hello-00001");
    }

    @Test
    void aRevisionWhoseImageHasNoDigestYetRunsNothingEvenWithTraffic() {
        RunState resolving = new RunState("Unknown", "ResolvingImage", false, false);
        RunState tagNotFound = new RunState("False", "TagNotFound", false, false);
        assertThat(DesiredInstances.held(Map.of("hello-00001", READY, "hello-00002", resolving, "hello-00003", tagNotFound),
                List.of("hello-00002", "hello-00003"))).containsExactly("hello-00002", "hello-00003");
    }

    @Test
    void heldRevisionsAreLeftOutOfWhatRuns() {
        DesiredInstances.ServiceFacts facts = new DesiredInstances.ServiceFacts("ml", "hello", "hello-00002", List.of("hello-00001"),
                Map.of("hello-00001", minScale(0), "hello-00002", minScale(0)), List.of(), Set.of("hello-00002"));
        assertThat(DesiredInstances.of(List.of(facts), ScalePolicy.ALWAYS_ON, 100)).extracting(d -> d.key().revision())
                .containsExactly("hello-00001");
    }

    @Test
    void aServiceOnSeveralClustersRunsEachClustersShareOfWhatThePolicyWants() {
        ScalePolicy five = new ScalePolicy() {
            @Override
            public int instances(RevisionKey revision, Template template) {
                return 5;
            }

            @Override
            public long version() {
                return 0;
            }
        };
        DesiredInstances.ServiceFacts facts = new DesiredInstances.ServiceFacts("ml", "hello", "hello-00001", List.of("hello-00001"),
                Map.of("hello-00001", minScale(0)), List.of(), Set.of(), new Placement(List.of("eu", "us"), Map.of("us", 4)));

        assertThat(DesiredInstances.of(List.of(facts), five, 100, "eu", key -> Set.of())).singleElement().extracting(RevisionDeployment::instances)
                .isEqualTo(1);
        assertThat(DesiredInstances.of(List.of(facts), five, 100, "us", key -> Set.of())).singleElement().extracting(RevisionDeployment::instances)
                .isEqualTo(4);
        assertThat(DesiredInstances.of(List.of(facts), five, 3, "us", key -> Set.of())).as("the cap is on the whole").singleElement()
                .extracting(RevisionDeployment::instances).isEqualTo(2);
    }
}
