package dev.ebb.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayAddressTest {

    @Test
    void aHostNameOrAnAddressWithAPortIsAGatewayAddress() {
        assertThat(GatewayAddress.parse("ebb-peer.eu.example.com:8083").address()).contains(new GatewayAddress("ebb-peer.eu.example.com", 8083));
        assertThat(GatewayAddress.parse("10.20.0.5:8083").address()).contains(new GatewayAddress("10.20.0.5", 8083));
        assertThat(GatewayAddress.parse("[fd00::5]:8083").address()).contains(new GatewayAddress("fd00::5", 8083));
    }

    @Test
    void whatIsWrongIsSaidWithTheWayToWriteIt() {
        assertThat(GatewayAddress.parse("10.20.0.5").problem()).contains("has no port", "host:port");
        assertThat(GatewayAddress.parse("http://x:80").problem()).contains("not a host name");
        assertThat(GatewayAddress.parse("x:99999").problem()).contains("from 1 to 65535");
        assertThat(GatewayAddress.parse("x:").problem()).contains("has no port");
    }
}
