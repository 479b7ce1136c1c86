package dev.ebb.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.problem.FieldViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryCredentialRulesTest {

    @Test
    void registryHostsWithAndWithoutPortsAreAccepted() {
        assertThat(RegistryCredentialRules.serverProblem("ghcr.io")).isNull();
        assertThat(RegistryCredentialRules.serverProblem("localhost:5000")).isNull();
        assertThat(RegistryCredentialRules.serverProblem("registry-1.docker.io")).isNull();
        assertThat(RegistryCredentialRules.serverProblem("10.0.0.12:443")).isNull();
    }

    @Test
    void aUrlInsteadOfAHostSaysToDropTheScheme() {
        assertThat(RegistryCredentialRules.serverProblem("https://ghcr.io")).contains("without a scheme such as https://");
        assertThat(RegistryCredentialRules.serverProblem("ghcr.io/acme")).contains("without a path or user");
        assertThat(RegistryCredentialRules.serverProblem("ci:hunter2@ghcr.io")).contains("without a path or user")
                .doesNotContain("hunter2");
    }

    @Test
    void badHostsAndPortsAreRefused() {
        assertThat(RegistryCredentialRules.serverProblem("ghcr..io")).contains("must be a host name");
        assertThat(RegistryCredentialRules.serverProblem("-ghcr.io")).contains("must be a host name");
        assertThat(RegistryCredentialRules.serverProblem("localhost:70000")).isEqualTo("has port 70000, but a port is between 1 and 65535");
        assertThat(RegistryCredentialRules.serverProblem(" ")).startsWith("is required");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<FieldViolation> violations = RegistryCredentialRules.validate("ML", "Ghcr", "https://ghcr.io", " ", "", null, true);

        assertThat(violations).extracting(FieldViolation::field).containsExactly("namespace", "name", "server", "username", "password");
    }

    @Test
    void aReplaceMayLeaveThePasswordOutButACreateMayNot() {
        assertThat(RegistryCredentialRules.validate("ml", "ghcr", "ghcr.io", "ci", null, null, false)).isEmpty();
        assertThat(RegistryCredentialRules.validate("ml", "ghcr", "ghcr.io", "ci", null, null, true))
                .extracting(FieldViolation::field).containsExactly("password");
    }
}
