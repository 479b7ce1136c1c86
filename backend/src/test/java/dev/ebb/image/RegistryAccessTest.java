package dev.ebb.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryAccessTest {

    private final RegistryAccess access = RegistryAccess.of(List.of("localhost:32000", " Registry.Lan:5000 "),
            Duration.ofSeconds(10), List.of("kind.local", "ko.local", "dev.local"));

    @Test
    void onlyListedRegistriesAreSpokenToInPlainHttp() {
        assertThat(access.scheme("localhost:32000", false)).isEqualTo("http");
        assertThat(access.scheme("registry.lan:5000", false)).isEqualTo("http");
        assertThat(access.scheme("localhost:5000", false)).as("localhost is not plain by itself").isEqualTo("https");
        assertThat(access.scheme("ghcr.io", false)).isEqualTo("https");
    }

    @Test
    void aCredentialCanMarkItsRegistryAsPlainHttp() {
        assertThat(access.scheme("registry.internal:5000", true)).isEqualTo("http");
        assertThat(access.listedAsPlainHttp("registry.internal:5000")).isFalse();
    }

    @Test
    void theSkipListMatchesTheHostWithOrWithoutAPort() {
        assertThat(access.skips("ko.local")).isTrue();
        assertThat(access.skips("dev.local:5000")).isTrue();
        assertThat(access.skips("dev.local.example.com")).isFalse();
        assertThat(access.skips("docker.io")).isFalse();
    }

    @Test
    void backOffDoublesFromOneSecondUpToFiveMinutes() {
        assertThat(List.of(Backoff.after(1), Backoff.after(2), Backoff.after(3), Backoff.after(9), Backoff.after(10),
                Backoff.after(1000))).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(256), Duration.ofMinutes(5), Duration.ofMinutes(5));
    }
}
