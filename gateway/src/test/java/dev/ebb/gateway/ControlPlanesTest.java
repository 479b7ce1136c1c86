package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which control-plane replica a gateway talks to, from the URLs it was given. */
class ControlPlanesTest {

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<String, List<InetAddress>> DNS = Map.of(
            "ebb-replicas.ebb-system.svc", List.of(address("10.0.0.7"), address("10.0.0.8")),
            "ebb.ebb-system.svc", List.of(address("10.96.0.10")),
            "v6-replicas", List.of(address("fd00::7"), address("fd00::8")));

    private static ControlPlanes.Resolver dns() {
        return host -> {
            List<InetAddress> found = DNS.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        };
    }

    @Test
    void aNameForEveryReplicaStandsForEachOfItsAddressesAndOneAddressForItself() {
        List<String> bases = ControlPlanes.expand(List.of(URI.create("http://ebb-replicas.ebb-system.svc:8080/"),
                URI.create("http://ebb.ebb-system.svc:8080"), URI.create("http://v6-replicas:8080/ebb/")), dns());

        assertThat(bases).containsExactly("http://10.0.0.7:8080", "http://10.0.0.8:8080", "http://ebb.ebb-system.svc:8080",
                "http://[fd00:0:0:0:0:0:0:7]:8080/ebb", "http://[fd00:0:0:0:0:0:0:8]:8080/ebb");
    }

    @Test
    void anHttpsUrlAndANameThatDoesNotResolveAreKeptAsWritten() {
        assertThat(ControlPlanes.expand(List.of(URI.create("https://ebb-replicas.ebb-system.svc:8443"),
                URI.create("http://not-yet-there:8080")), dns()))
                .containsExactly("https://ebb-replicas.ebb-system.svc:8443", "http://not-yet-there:8080");
    }

    @Test
    void aReplicaPassedOverGivesWayToTheNextAndAfterTheLastTheNamesAreResolvedAgain() {
        AtomicInteger lookups = new AtomicInteger();
        ControlPlanes.Resolver counting = host -> {
            lookups.incrementAndGet();
            return dns().resolve(host);
        };
        ControlPlanes planes = new ControlPlanes(List.of(URI.create("http://ebb-replicas.ebb-system.svc:8080")), counting);
        assertThat(planes.current()).isEqualTo("http://10.0.0.7:8080");

        planes.passOver("http://10.0.0.7:8080");
        planes.passOver("http://10.0.0.7:8080");
        assertThat(planes.current()).as("a second caller passing over the same replica moves nothing").isEqualTo("http://10.0.0.8:8080");

        planes.passOver("http://10.0.0.8:8080");
        assertThat(planes.current()).isEqualTo("http://10.0.0.7:8080");
        assertThat(lookups).hasValue(2);
    }
}
