package dev.ebb.example.modelserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  @DisplayName("with no environment the server is http1 on 127.0.0.1:8080 with no delays or errors")
  void defaults() {
    ServerConfig config = ServerConfig.fromEnv(Map.of());

    assertEquals("127.0.0.1", config.host());
    assertEquals(8080, config.port());
    assertEquals(ServerConfig.Protocol.HTTP1, config.protocol());
    assertEquals(0, config.startupDelayMs());
    assertEquals(0.0, config.errorRate());
    assertEquals(50, config.tokenIntervalMs());
    assertEquals("unknown", config.revision());
    assertNull(config.instance());
    assertNull(config.exitOnStart());
    assertTrue(config.logRequests());
    assertEquals("pod-7:8080", config.withInstance("pod-7:8080").instanceName(8080));
  }

  @Test
  @DisplayName("every knob is read from its environment variable")
  void everyKnob() {
    ServerConfig config = ServerConfig.fromEnv(Map.ofEntries(
        Map.entry("HOST", "0.0.0.0"), Map.entry("PORT", "9000"), Map.entry("PROTOCOL", "h2c"),
        Map.entry("STARTUP_DELAY_MS", "1500"), Map.entry("READY_DELAY_MS", "5"), Map.entry("LATENCY_MS", "20"),
        Map.entry("ERROR_RATE", "0.25"), Map.entry("TOKEN_INTERVAL_MS", "10"), Map.entry("CRASH_AFTER_MS", "3000"),
        Map.entry("EXIT_ON_START", "3"), Map.entry("EBB_REVISION", "web-00002"), Map.entry("EBB_INSTANCE", "i-1"),
        Map.entry("LOG_REQUESTS", "false")));

    assertEquals(new ServerConfig("0.0.0.0", 9000, ServerConfig.Protocol.H2C, 1500, 5, 20, 0.25, 10, 3000, 3,
        "web-00002", "i-1", false), config);
  }

  @Test
  @DisplayName("a value out of range is refused with the variable's name")
  void badValues() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnv(Map.of("ERROR_RATE", "1.5")))
        .getMessage().contains("ERROR_RATE"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnv(Map.of("PORT", "70000")))
        .getMessage().contains("PORT"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnv(Map.of("PROTOCOL", "h3")))
        .getMessage().contains("PROTOCOL"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.fromEnv(Map.of("LATENCY_MS", "-1")))
        .getMessage().contains("LATENCY_MS"));
  }
}
