package dev.ebb.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolutionFailureTest {

    private static ResolutionFailure unknownTag(List<String> tags) {
        return new ResolutionFailure(ResolutionFailure.Kind.UNKNOWN_TAG, "ghcr.io", "acme/model", "ghcr.io/acme/model:9",
                "404 Not Found", tags, null);
    }

    @Test
    void anUnknownTagListsAtMostFiveTagsAndCountsTheRest() {
        assertThat(unknownTag(List.of("1", "2", "3", "4", "5", "6", "7")).message("ml", null)).isEqualTo("Registry ghcr.io "
                + "has no tag '9' in repository acme/model; it has 1, 2, 3, 4, 5 and 2 more. Push the tag, or change the "
                + "service's image to a tag that exists.");
        assertThat(unknownTag(List.of()).message("ml", null)).contains("acme/model, which has no tags at all.");
    }

    @Test
    void aPassingFailureSaysWhenEbbTriesAgain() {
        ResolutionFailure timeout = new ResolutionFailure(ResolutionFailure.Kind.TIMEOUT, "ghcr.io", "acme/model",
                "ghcr.io/acme/model:1", "10 s", List.of(), null);

        assertThat(timeout.kind().passing()).isTrue();
        assertThat(timeout.message("ml", Duration.ofMinutes(5))).endsWith("Ebb tries again in 5 min.");
        assertThat(timeout.message("ml", Duration.ofMillis(1500))).endsWith("Ebb tries again in 1.5 s.");
    }

    @Test
    void eachReasonNamesItsKind() {
        for (ResolutionFailure.Kind kind : ResolutionFailure.Kind.values()) {
            assertThat(ResolutionFailure.Kind.ofReason(kind.reason())).isEqualTo(kind);
        }
        assertThat(ResolutionFailure.Kind.ofReason("Deploying")).isNull();
    }
}
