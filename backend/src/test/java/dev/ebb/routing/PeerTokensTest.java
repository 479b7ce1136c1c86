package dev.ebb.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.secrets.KeyRing;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PeerTokensTest {

    private static final String KEY_A = "a:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = "b:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static PeerTokens tokens(String keys) {
        return new PeerTokens(KeyRing.parse(keys, "test")::derive, Duration.ofHours(6));
    }

    @Test
    void everyReplicaDerivesTheSameTokenAndEachClusterAndPeriodHasItsOwn() {
        PeerTokens one = tokens(KEY_A);
        PeerTokens other = tokens(KEY_A);
        long period = one.period(Instant.parse("2026-12-03T10:00:00Z"));

        assertThat(one.current("eu", period)).isEqualTo(other.current("eu", period)).hasSizeGreaterThanOrEqualTo(43);
        assertThat(one.current("eu", period)).isNotEqualTo(one.current("us", period)).isNotEqualTo(one.current("eu", period + 1));
        assertThat(one.period(Instant.parse("2026-12-03T11:59:59Z"))).isEqualTo(period);
        assertThat(one.period(Instant.parse("2026-12-03T12:00:00Z"))).isEqualTo(period + 1);
    }

    @Test
    void aGatewayAcceptsTheNeighbouringPeriodsAndEveryKeySoRotationFailsNoForwardedRequest() {
        PeerTokens rotated = tokens(KEY_B + "," + KEY_A);
        PeerTokens before = tokens(KEY_A);
        long period = 1000;

        assertThat(rotated.accepted("eu", period)).first().isEqualTo(rotated.current("eu", period));
        assertThat(rotated.accepted("eu", period)).contains(before.current("eu", period), before.current("eu", period - 1),
                rotated.current("eu", period + 1)).doesNotContain(rotated.current("us", period), rotated.current("eu", period + 2));
    }

    @Test
    void aRotationPeriodMustBePositive() {
        assertThatThrownBy(() -> new PeerTokens(label -> java.util.List.of(label), Duration.ZERO))
                .hasMessageContaining("EBB_PEER_TOKEN_ROTATION");
    }
}
