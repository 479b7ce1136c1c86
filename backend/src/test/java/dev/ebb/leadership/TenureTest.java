package dev.ebb.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a replica concludes from one look at the leader's lock. */
class TenureTest {

    private static final Instant T0 = Instant.parse("2026-12-03T07:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(8);

    @Test
    void aLeaderThatCannotReachTheDatabaseGoesOnLeadingForItsLeaseAndNoLonger() {
        Tenure leading = Tenure.leader(T0);

        Tenure stillLeading = leading.after(Tenure.Look.UNKNOWN, T0.plusSeconds(7), LEASE);
        assertThat(stillLeading.leads()).isTrue();
        assertThat(stillLeading.confirmed()).as("an unknown look confirms nothing").isEqualTo(T0);
        assertThat(stillLeading.after(Tenure.Look.UNKNOWN, T0.plusSeconds(8), LEASE).leads()).isFalse();
    }

    @Test
    void aConfirmedLookRenewsTheLeaseAndALostOneEndsItAtOnce() {
        Tenure renewed = Tenure.leader(T0).after(Tenure.Look.HELD, T0.plusSeconds(5), LEASE);

        assertThat(renewed.after(Tenure.Look.UNKNOWN, T0.plusSeconds(12), LEASE).leads()).isTrue();
        assertThat(renewed.after(Tenure.Look.LOST, T0.plusSeconds(6), LEASE).leads()).isFalse();
    }

    @Test
    void aFollowerStaysOneWhateverItCannotSee() {
        assertThat(Tenure.follower().after(Tenure.Look.UNKNOWN, T0, LEASE).leads()).isFalse();
    }
}
