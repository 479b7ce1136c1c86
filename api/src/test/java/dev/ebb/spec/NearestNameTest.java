package dev.ebb.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNameTest {

    private static final List<String> SERVICE_FIELDS = List.of("name", "namespace", "labels", "visibility", "coldStartSlo",
            "template", "traffic");

    @Test
    void suggestsTheFieldATypoWasMeantToBe() {
        assertThat(NearestName.among("label", SERVICE_FIELDS)).contains("labels");
        assertThat(NearestName.among("visiblity", SERVICE_FIELDS)).contains("visibility");
        assertThat(NearestName.among("tempalte", SERVICE_FIELDS)).contains("template");
        assertThat(NearestName.among("coldstartslo", SERVICE_FIELDS)).contains("coldStartSlo");
    }

    @Test
    void suggestsNothingForAnUnrelatedName() {
        assertThat(NearestName.among("replicas", SERVICE_FIELDS)).isEmpty();
    }

    @Test
    void countsATranspositionAsOneEdit() {
        assertThat(NearestName.distance("ab", "ba")).isEqualTo(1);
        assertThat(NearestName.distance("kitten", "sitting")).isEqualTo(3);
    }
}
