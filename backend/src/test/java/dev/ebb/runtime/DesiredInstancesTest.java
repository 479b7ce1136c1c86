package dev.ebb.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import java.util.List;
import java.util.Map;
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
}
