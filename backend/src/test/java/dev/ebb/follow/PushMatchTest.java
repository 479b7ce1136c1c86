package dev.ebb.follow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PushMatchTest {

    private static final String DIGEST = "sha256:" + "d".repeat(64);

    private static Push push(String host, String repository, String tag) {
        return new Push("e", null, host, repository, tag, DIGEST);
    }

    @Test
    void aPushOfTheSameRegistryRepositoryAndTagMatches() {
        assertThat(PushMatch.matches("localhost:32000/acme/model:stable", push("localhost:32000", "acme/model", "stable"), null))
                .isTrue();
        assertThat(PushMatch.pinned("localhost:32000/acme/model:stable", push("localhost:32000", "acme/model", "stable")))
                .isEqualTo("localhost:32000/acme/model@" + DIGEST);
    }

    @Test
    void anotherTagRepositoryOrRegistryDoesNot() {
        String followed = "localhost:32000/acme/model:stable";
        assertThat(PushMatch.matches(followed, push("localhost:32000", "acme/model", "canary"), null)).isFalse();
        assertThat(PushMatch.matches(followed, push("localhost:32000", "acme/other", "stable"), null)).isFalse();
        assertThat(PushMatch.matches(followed, push("localhost:5000", "acme/model", "stable"), null)).isFalse();
        assertThat(PushMatch.matches(followed, push(null, "acme/model", "stable"), null)).as("no host to compare").isFalse();
    }

    @Test
    void theHooksRegistryStandsForTheHostThePayloadNames() {
        // Behind a proxy, the registry sees another Host than the images name.
        assertThat(PushMatch.matches("registry.example.com/acme/model:stable",
                push("10.0.0.7:5000", "acme/model", "stable"), "registry.example.com")).isTrue();
        assertThat(PushMatch.matches("registry.example.com/acme/model:stable",
                push("registry.example.com", "acme/model", "stable"), "other.example.com")).isFalse();
    }

    @Test
    void hostsCompareWithoutCaseOrTheHttpsPortAndDockerHubByAnyOfItsNames() {
        assertThat(PushMatch.matches("Registry.Example.com/acme/model:1", push("registry.example.com:443", "acme/model", "1"),
                null)).isTrue();
        assertThat(PushMatch.matches("nginx:1.27", push("registry-1.docker.io", "nginx", "1.27"), null)).isTrue();
        assertThat(PushMatch.matches("acme/model:1", push("index.docker.io", "acme/model", "1"), null)).isTrue();
    }
}
