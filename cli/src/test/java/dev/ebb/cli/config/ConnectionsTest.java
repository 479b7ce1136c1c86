package dev.ebb.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionsTest {

    private static final CliConfig TWO_CONTEXTS = new CliConfig("prod", List.of(
            new Context("prod", "https://ebb.example.com/", "prod-token", "ml"),
            new Context("staging", "https://staging.example.com", "staging-token", null)));
    private static final Connections.Flags NO_FLAGS = new Connections.Flags(null, null, null, null);

    @Test
    void theCurrentContextAppliesWhenNothingElseIsGiven() {
        Connection connection = Connections.resolve(NO_FLAGS, Map.of(), TWO_CONTEXTS);

        assertThat(connection).isEqualTo(new Connection(URI.create("https://ebb.example.com"), "prod-token", "ml"));
    }

    @Test
    void theEnvironmentOverridesTheContextAndFlagsOverrideBoth() {
        Map<String, String> env = Map.of("EBB_SERVER", "http://localhost:8080", "EBB_TOKEN", "env-token", "EBB_NAMESPACE", "web");

        assertThat(Connections.resolve(NO_FLAGS, env, TWO_CONTEXTS))
                .isEqualTo(new Connection(URI.create("http://localhost:8080"), "env-token", "web"));
        assertThat(Connections.resolve(new Connections.Flags("http://127.0.0.1:9000", "flag-token", null, "team"), env, TWO_CONTEXTS))
                .isEqualTo(new Connection(URI.create("http://127.0.0.1:9000"), "flag-token", "team"));
    }

    @Test
    void anotherContextIsChosenByFlagOrEnvironmentAndItsNamespaceDefaultsToDefault() {
        assertThat(Connections.resolve(new Connections.Flags(null, null, "staging", null), Map.of(), TWO_CONTEXTS))
                .isEqualTo(new Connection(URI.create("https://staging.example.com"), "staging-token", "default"));
        assertThat(Connections.resolve(NO_FLAGS, Map.of("EBB_CONTEXT", "staging"), TWO_CONTEXTS).token()).isEqualTo("staging-token");
    }

    @Test
    void anUnknownContextSuggestsTheNearestOne() {
        assertThatThrownBy(() -> Connections.resolve(new Connections.Flags(null, null, "stagign", null), Map.of(), TWO_CONTEXTS))
                .isInstanceOf(CliFailure.class).hasMessageContaining("did you mean 'staging'?");
    }

    @Test
    void withoutAServerOrATokenTheMessageSaysHowToGiveThem() {
        assertThatThrownBy(() -> Connections.resolve(NO_FLAGS, Map.of(), CliConfig.empty()))
                .hasMessageContaining("ebb login --server URL --token TOKEN")
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCode.INVALID));
        assertThatThrownBy(() -> Connections.resolve(NO_FLAGS, Map.of("EBB_SERVER", "http://localhost:8080"), CliConfig.empty()))
                .hasMessageContaining("No token for http://localhost:8080");
    }

    @Test
    void aServerMustBeAnHttpUrlWithAHost() {
        assertThatThrownBy(() -> Connections.serverUri("localhost:8080")).hasMessageContaining("not an http:// or https:// URL");
        assertThatThrownBy(() -> Connections.serverUri("ftp://host")).isInstanceOf(CliFailure.class);
        assertThat(Connections.serverUri("http://localhost:8080//")).isEqualTo(URI.create("http://localhost:8080"));
    }

    @Test
    void loggingInAgainToAContextReplacesItAndMakesItCurrent() {
        CliConfig updated = TWO_CONTEXTS.withCurrent(new Context("staging", "https://staging.example.com", "new-token", null));

        assertThat(updated.currentContext()).isEqualTo("staging");
        assertThat(updated.contexts()).extracting(Context::token).containsExactly("prod-token", "new-token");
    }
}
