package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The standalone gateway's settings, read without Spring, against what Spring binds from the same settings. */
class StandaloneSettingsTest {

    private static final List<Map<String, String>> SETTINGS = List.of(
            Map.of(),
            Map.of("ebb.gateway.control-plane-url", "http://a:8080, http://b:8080", "ebb.gateway.token", "t0k",
                    "ebb.gateway.port", "9081", "ebb.gateway.max-backoff", "250ms", "ebb.gateway.drain-delay", "PT5S",
                    "ebb.gateway.transport", "io-uring", "ebb.gateway.request-metrics", "false", "ebb.gateway.health-port", "0"),
            Map.of("ebb.gateway.tls.certificate", "/etc/tls/tls.crt", "ebb.gateway.tls.key", "/etc/tls/tls.key",
                    "ebb.gateway.cluster", " west ", "ebb.gateway.peer-port", "8083", "ebb.gateway.peer-probe-interval", "0s",
                    "ebb.gateway.queue-depth", "12"),
            Map.of("ebb.gateway.peer-tls.certificate", "/p/tls.crt", "ebb.gateway.peer-tls.key", "/p/tls.key",
                    "ebb.gateway.peer-tls.ca", "/p/ca.crt", "ebb.gateway.peer-tls.reload-interval", "3m",
                    "ebb.domain.internal", "Cluster.Example", "ebb.domain.external", "apps.example.com"),
            Map.of("ebb.gateway.tls.reload-interval", "10s", "ebb.gateway.enabled", "false", "ebb.gateway.host", "::1"));

    @Test
    void everySettingReadsAsSpringBindsItForTheGatewayInsideTheControlPlane() {
        for (Map<String, String> settings : SETTINGS) {
            List<String> args = new ArrayList<>();
            settings.forEach((name, value) -> args.add("--" + name + "=" + value));

            StandaloneSettings read = StandaloneSettings.read(args, Map.of(), Map.of(), Map.of());

            Binder spring = new Binder(new MapConfigurationPropertySource(settings));
            assertThat(read.gateway()).as("%s", settings).isEqualTo(spring.bindOrCreate("ebb.gateway", GatewayProperties.class));
            assertThat(read.domains()).as("%s", settings).isEqualTo(spring.bindOrCreate("ebb.domain", GatewayDomains.class));
        }
    }

    @Test
    void environmentVariablesNameSettingsAsKubernetesManifestsWriteThem() {
        StandaloneSettings read = StandaloneSettings.read(List.of(), Map.of(), Map.of(
                "EBB_GATEWAY_CONTROL_PLANE_URL", "http://ebb-replicas.ebb-system.svc.cluster.local:8080",
                "EBB_GATEWAY_PEER_TLS_CERTIFICATE", "/etc/ebb/peer-tls/tls.crt", "EBB_GATEWAY_PEERTLS_KEY", "/etc/ebb/peer-tls/tls.key",
                "EBB_GATEWAY_PEER_TLS_CA", "/etc/ebb/peer-tls/ca.crt", "EBB_GATEWAY_DRAIN_DELAY", "5s", "EBB_DATA_DIR", "/var/lib/ebb",
                "EBB_DOMAIN_EXTERNAL", "apps.example.com", "LOGGING_LEVEL_EBB_GATEWAY_ACCESS", "off", "ebb.gateway.queue-depth", "7",
                // Set by others (a Service named ebb-gateway-peer, with service links on): not a setting, not refused.
                "EBB_GATEWAY_PEER_SERVICE_HOST", "10.0.0.7"), Map.of("ebb.gateway.health-port", "8086"));

        assertThat(read.gateway().controlPlaneUrl()).containsExactly(URI.create("http://ebb-replicas.ebb-system.svc.cluster.local:8080"));
        assertThat(read.gateway().peerTlsEnabled()).isTrue();
        assertThat(read.gateway().peerTls().key()).isEqualTo(Path.of("/etc/ebb/peer-tls/tls.key"));
        assertThat(read.gateway().drainDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(read.gateway().healthPort()).as("the standalone gateway's default").isEqualTo(8086);
        assertThat(read.dataDir()).isEqualTo(Path.of("/var/lib/ebb"));
        assertThat(read.domains().external()).isEqualTo("apps.example.com");
        assertThat(read.domains().internal()).isEqualTo("svc.cluster.local");
        assertThat(read.logLevels()).containsExactly(Map.entry("ebb.gateway.access", "OFF"));
        assertThat(read.gateway().queueDepth()).as("a variable named as the setting is").isEqualTo(7);
    }

    @Test
    void anArgumentWinsOverASystemPropertyWhichWinsOverTheEnvironment() {
        StandaloneSettings read = StandaloneSettings.read(List.of("--ebb.gateway.port=1"),
                Map.of("ebb.gateway.port", "2", "ebb.gateway.publicPort", "3"),
                Map.of("EBB_GATEWAY_PORT", "4", "EBB_GATEWAY_PUBLIC_PORT", "5", "EBB_GATEWAY_QUEUE_DEPTH", "6"), Map.of());

        assertThat(read.gateway().port()).isEqualTo(1);
        assertThat(read.gateway().publicPort()).isEqualTo(3);
        assertThat(read.gateway().queueDepth()).isEqualTo(6);
        assertThat(read.dataDir()).isEqualTo(Path.of(".ebb"));
    }

    @Test
    void aDockerLinkVariableWhereThePortGoesIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> StandaloneSettings.read(List.of(), Map.of(), Map.of("EBB_GATEWAY_PORT", "tcp://10.96.0.10:80"), Map.of()))
                .isInstanceOf(StandaloneSettings.Refused.class)
                .hasMessage("ebb.gateway.port (from environment variable EBB_GATEWAY_PORT): \"tcp://10.96.0.10:80\" is not a whole number.");
    }

    @Test
    void everyUnusableSettingIsNamedAtOnceWithTheNearestKnownNameForATypo() {
        assertThatThrownBy(() -> StandaloneSettings.read(List.of("--ebb.gateway.drain-dealy=5s", "--ebb.gateway.max-backoff=soon",
                "--ebb.gateway.transport=kqueue", "--logging.level.ebb=LOUD", "--ebb.data-dir=", "8081"), Map.of(), Map.of(), Map.of()))
                .isInstanceOf(StandaloneSettings.Refused.class)
                .hasMessageContaining("'8081' is not a setting: give settings as --name=value, e.g. --ebb.gateway.port=8081.")
                .hasMessageContaining("argument --ebb.gateway.drain-dealy is no setting of the gateway: did you mean ebb.gateway.drain-delay?")
                .hasMessageContaining("ebb.gateway.max-backoff (from argument --ebb.gateway.max-backoff): \"soon\" is not a duration: "
                        + "write e.g. 500ms, 5s, 2m or PT5S.")
                .hasMessageContaining("ebb.gateway.transport (from argument --ebb.gateway.transport): \"kqueue\" is none of auto, "
                        + "io-uring, epoll, nio.")
                .hasMessageContaining("logging.level.ebb (from argument --logging.level.ebb): \"LOUD\" is no log level")
                .hasMessageContaining("ebb.data-dir (from argument --ebb.data-dir): \"\" is empty: name the directory");
    }

    @Test
    void halfTheFilesOfMutualTlsAreRefusedWithTheRecordsOwnSentence() {
        assertThatThrownBy(() -> StandaloneSettings.read(List.of(), Map.of(),
                Map.of("EBB_GATEWAY_PEER_TLS_CERTIFICATE", "/p/tls.crt"), Map.of()))
                .isInstanceOf(StandaloneSettings.Refused.class)
                .hasMessageStartingWith("Mutual TLS between clusters needs a certificate, its key and the CA bundle together");
    }
}
