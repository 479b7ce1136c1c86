package dev.ebb.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void aBearerChallengeGivesTheTokenServerAndScope() {
        AuthChallenge challenge = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull\"").orElseThrow();

        assertThat(challenge.scheme()).isEqualTo("bearer");
        assertThat(challenge.parameters()).isEqualTo(Map.of("realm", "https://auth.docker.io/token", "service",
                "registry.docker.io", "scope", "repository:library/nginx:pull"));
    }

    @Test
    void quotedCommasEscapesAndUnquotedValuesAreRead() {
        AuthChallenge challenge = AuthChallenge.parse("Bearer realm=\"https://a/t\", scope=\"repository:a:pull,push\", "
                + "error=insufficient_scope, note=\"say \\\"hi\\\"\"").orElseThrow();

        assertThat(challenge.parameter("scope")).isEqualTo("repository:a:pull,push");
        assertThat(challenge.parameter("error")).isEqualTo("insufficient_scope");
        assertThat(challenge.parameter("note")).isEqualTo("say \"hi\"");
    }

    @Test
    void bearerIsChosenOverBasicAndUnknownSchemesAreIgnored() {
        assertThat(AuthChallenge.choose(List.of("Basic realm=\"r\"", "Bearer realm=\"https://a/t\"")).orElseThrow().scheme())
                .isEqualTo("bearer");
        assertThat(AuthChallenge.choose(List.of("Negotiate", "Basic realm=\"Registry Realm\"")).orElseThrow().scheme())
                .isEqualTo("basic");
        assertThat(AuthChallenge.choose(List.of("Negotiate"))).isEmpty();
        assertThat(AuthChallenge.choose(List.of())).isEmpty();
    }
}
