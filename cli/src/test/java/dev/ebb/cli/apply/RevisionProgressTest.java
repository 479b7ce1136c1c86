package dev.ebb.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.cli.client.EbbClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RevisionProgressTest {

    private static JsonNode revision(String conditions, String instances) {
        return EbbClient.JSON.readTree("{\"name\": \"hello-00002\", \"status\": {\"conditions\": " + conditions
                + (instances == null ? "" : ", \"instances\": " + instances) + "}}");
    }

    @Test
    void aRevisionStartingIsWaitingInTheReadyConditionsPhaseWithItsInstanceCounts() {
        RevisionProgress progress = RevisionProgress.of(revision(
                "[{\"type\": \"Ready\", \"status\": \"Unknown\", \"reason\": \"Deploying\", \"message\": \"its instances are starting\"}]",
                "{\"desired\": 2, \"ready\": 1}"));

        assertThat(progress.state()).isEqualTo(RevisionProgress.State.WAITING);
        assertThat(progress.describe()).isEqualTo("Deploying (1/2 ready): its instances are starting");
    }

    @Test
    void aFailedRevisionCarriesItsReasonAndMessage() {
        RevisionProgress progress = RevisionProgress.of(revision("[{\"type\": \"ImageResolved\", \"status\": \"True\"},"
                + " {\"type\": \"Ready\", \"status\": \"False\", \"reason\": \"CommandNotFound\", \"message\": \"not on the PATH\"}]",
                "{\"desired\": 1, \"ready\": 0}"));

        assertThat(progress.state()).isEqualTo(RevisionProgress.State.FAILED);
        assertThat(progress.describe()).isEqualTo("CommandNotFound: not on the PATH");
    }

    @Test
    void aReadyRevisionIsReadyWithoutAReason() {
        RevisionProgress progress = RevisionProgress.of(revision("[{\"type\": \"Ready\", \"status\": \"True\"}]", null));

        assertThat(progress.state()).isEqualTo(RevisionProgress.State.READY);
        assertThat(progress.phase()).isEqualTo("Ready");
    }

    @Test
    void aRevisionWithoutAReadyConditionYetIsPending() {
        RevisionProgress progress = RevisionProgress.of(revision("[]", "{\"desired\": 0, \"ready\": 0}"));

        assertThat(progress.state()).isEqualTo(RevisionProgress.State.WAITING);
        assertThat(progress.describe()).isEqualTo("Pending: waiting for Ebb to report on it");
    }

    @Test
    void onlyAChangeOfStatePhaseOrMessageIsNews() {
        RevisionProgress deploying = RevisionProgress.of(revision(
                "[{\"type\": \"Ready\", \"status\": \"Unknown\", \"reason\": \"Deploying\", \"message\": \"m\"}]", "{\"desired\": 1, \"ready\": 0}"));
        RevisionProgress sameWithOtherCounts = RevisionProgress.of(revision(
                "[{\"type\": \"Ready\", \"status\": \"Unknown\", \"reason\": \"Deploying\", \"message\": \"m\"}]", "{\"desired\": 1, \"ready\": 1}"));
        RevisionProgress otherMessage = RevisionProgress.of(revision(
                "[{\"type\": \"Ready\", \"status\": \"Unknown\", \"reason\": \"Deploying\", \"message\": \"n\"}]", null));

        assertThat(deploying.differsFrom(null)).isTrue();
        assertThat(sameWithOtherCounts.differsFrom(deploying)).isFalse();
        assertThat(otherMessage.differsFrom(deploying)).isTrue();
    }
}
