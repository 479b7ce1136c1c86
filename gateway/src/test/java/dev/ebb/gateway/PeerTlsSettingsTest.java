package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The {@code ebb.gateway.peer-tls} settings as Spring binds them from the environment. */
class PeerTlsSettingsTest {

    @Test
    void allThreeFilesTurnMutualTlsOnWithASecondsReloadByDefault() {
        GatewayProperties properties = bind(Map.of("ebb.gateway.peer-tls.certificate", "/etc/ebb/peer/tls.crt",
                "ebb.gateway.peer-tls.key", "/etc/ebb/peer/tls.key", "ebb.gateway.peer-tls.ca", "/etc/ebb/peer/ca.crt"));

        assertThat(properties.peerTlsEnabled()).isTrue();
        assertThat(properties.peerTls().ca()).isEqualTo(Path.of("/etc/ebb/peer/ca.crt"));
        assertThat(properties.peerTls().reloadInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void noneOfThemLeavesTheHopPlain() {
        assertThat(bind(Map.of("ebb.gateway.port", "8083")).port()).isEqualTo(8083);
        assertThat(bind(Map.of("ebb.gateway.tls.certificate", "/c", "ebb.gateway.tls.key", "/k")).tls()).isNotNull();
        assertThat(bind(Map.of("ebb.gateway.port", "8081")).peerTlsEnabled()).isFalse();
        assertThat(bind(Map.of("ebb.gateway.peer-tls.reload-interval", "5s")).peerTlsEnabled()).isFalse();
    }

    @Test
    void someButNotAllAreRefusedWithASentenceNamingWhatIsMissing() {
        assertThatThrownBy(() -> bind(Map.of("ebb.gateway.peer-tls.certificate", "/etc/ebb/peer/tls.crt")))
                .rootCause().hasMessage("Mutual TLS between clusters needs a certificate, its key and the CA bundle together, but"
                        + " the key (ebb.gateway.peer-tls.key, EBB_GATEWAY_PEER_TLS_KEY) and the CA bundle (ebb.gateway.peer-tls.ca,"
                        + " EBB_GATEWAY_PEER_TLS_CA) are not set; set all three, or none for plain HTTP between clusters.");
        assertThatThrownBy(() -> bind(Map.of("ebb.gateway.peer-tls.certificate", "/c", "ebb.gateway.peer-tls.key", "/k")))
                .rootCause().hasMessageContaining("but the CA bundle (ebb.gateway.peer-tls.ca, EBB_GATEWAY_PEER_TLS_CA) is not set");
    }

    private static GatewayProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("ebb.gateway", GatewayProperties.class);
    }
}
