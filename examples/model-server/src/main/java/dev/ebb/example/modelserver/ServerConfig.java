package dev.ebb.example.modelserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the model server can be told, read from the environment by {@link #fromEnv(Map)}.
 *
 * @param host address to listen on ({@code HOST}, default {@code 127.0.0.1})
 * @param port port to listen on ({@code PORT}, default 8080; 0 picks a free port)
 * @param protocol {@code http1} or {@code h2c} ({@code PROTOCOL})
 * @param startupDelayMs {@code STARTUP_DELAY_MS}: http1 opens its port this late, h2c reports NOT_SERVING this long
 * @param readyDelayMs {@code READY_DELAY_MS}: http1 only, /healthz answers 503 this long after the port opened
 * @param latencyMs {@code LATENCY_MS}: added to every predict
 * @param errorRate {@code ERROR_RATE}: fraction (0..1) of predicts that fail with 500 / UNAVAILABLE
 * @param tokenIntervalMs {@code TOKEN_INTERVAL_MS}: pause between two generated tokens
 * @param crashAfterMs {@code CRASH_AFTER_MS}: the process exits with 1 this long after it started (0: never)
 * @param exitOnStart {@code EXIT_ON_START}: the process exits at once with this code (null: it does not)
 * @param revision {@code EBB_REVISION}, reported in predictions
 * @param instance {@code EBB_INSTANCE}, reported in predictions; null means {@code hostname:port}
 * @param logRequests {@code LOG_REQUESTS}: one line per request on stdout (default true)
 */
public record ServerConfig(
    String host,
    int port,
    Protocol protocol,
    long startupDelayMs,
    long readyDelayMs,
    long latencyMs,
    double errorRate,
    long tokenIntervalMs,
    long crashAfterMs,
    Integer exitOnStart,
    String revision,
    String instance,
    boolean logRequests) {

  /** How long {@code stop()} waits for in-flight requests when a signal asks the process to stop. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** The wire protocol the server speaks. */
  public enum Protocol {
    HTTP1("http1"),
    H2C("h2c");

    private final String envName;

    Protocol(String envName) {
      this.envName = envName;
    }

    /** The value of {@code PROTOCOL} that selects this protocol. */
    public String envName() {
      return envName;
    }

    static Protocol parse(String value) {
      for (Protocol p : values()) {
        if (p.envName.equals(value.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new IllegalArgumentException("PROTOCOL must be http1 or h2c, not '" + value + "'");
    }
  }

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(revision, "revision");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("PORT must be between 0 and 65535, not " + port);
    }
    if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
      throw new IllegalArgumentException("ERROR_RATE must be between 0 and 1, not " + errorRate);
    }
    requireNonNegative("STARTUP_DELAY_MS", startupDelayMs);
    requireNonNegative("READY_DELAY_MS", readyDelayMs);
    requireNonNegative("LATENCY_MS", latencyMs);
    requireNonNegative("TOKEN_INTERVAL_MS", tokenIntervalMs);
    requireNonNegative("CRASH_AFTER_MS", crashAfterMs);
    if (exitOnStart != null && (exitOnStart < 0 || exitOnStart > 255)) {
      throw new IllegalArgumentException("EXIT_ON_START must be an exit code between 0 and 255, not " + exitOnStart);
    }
  }

  /** The defaults: http1 on 127.0.0.1:8080, no delays, no errors, 50 ms between tokens. */
  public static ServerConfig defaults() {
    return fromEnv(Map.of());
  }

  /** Reads the configuration from environment variables; throws IllegalArgumentException on a bad value. */
  public static ServerConfig fromEnv(Map<String, String> env) {
    String exit = value(env, "EXIT_ON_START");
    return new ServerConfig(
        value(env, "HOST") == null ? "127.0.0.1" : value(env, "HOST"),
        clampToInt(number(env, "PORT", 8080)),
        value(env, "PROTOCOL") == null ? Protocol.HTTP1 : Protocol.parse(value(env, "PROTOCOL")),
        number(env, "STARTUP_DELAY_MS", 0),
        number(env, "READY_DELAY_MS", 0),
        number(env, "LATENCY_MS", 0),
        fraction(env, "ERROR_RATE"),
        number(env, "TOKEN_INTERVAL_MS", 50),
        number(env, "CRASH_AFTER_MS", 0),
        exit == null ? null : clampToInt(number(env, "EXIT_ON_START", 0)),
        value(env, "EBB_REVISION") == null ? "unknown" : value(env, "EBB_REVISION"),
        value(env, "EBB_INSTANCE"),
        bool(env, "LOG_REQUESTS", true));
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, protocol, startupDelayMs, readyDelayMs, latencyMs, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, instance, logRequests);
  }

  public ServerConfig withProtocol(Protocol newProtocol) {
    return new ServerConfig(host, port, newProtocol, startupDelayMs, readyDelayMs, latencyMs, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, instance, logRequests);
  }

  public ServerConfig withStartupDelayMs(long ms) {
    return new ServerConfig(host, port, protocol, ms, readyDelayMs, latencyMs, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, instance, logRequests);
  }

  public ServerConfig withReadyDelayMs(long ms) {
    return new ServerConfig(host, port, protocol, startupDelayMs, ms, latencyMs, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, instance, logRequests);
  }

  public ServerConfig withLatencyMs(long ms) {
    return new ServerConfig(host, port, protocol, startupDelayMs, readyDelayMs, ms, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, instance, logRequests);
  }

  public ServerConfig withErrorRate(double rate) {
    return new ServerConfig(host, port, protocol, startupDelayMs, readyDelayMs, latencyMs, rate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, instance, logRequests);
  }

  public ServerConfig withTokenIntervalMs(long ms) {
    return new ServerConfig(host, port, protocol, startupDelayMs, readyDelayMs, latencyMs, errorRate,
        ms, crashAfterMs, exitOnStart, revision, instance, logRequests);
  }

  public ServerConfig withRevision(String newRevision) {
    return new ServerConfig(host, port, protocol, startupDelayMs, readyDelayMs, latencyMs, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, newRevision, instance, logRequests);
  }

  public ServerConfig withInstance(String newInstance) {
    return new ServerConfig(host, port, protocol, startupDelayMs, readyDelayMs, latencyMs, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, newInstance, logRequests);
  }

  public ServerConfig withLogRequests(boolean log) {
    return new ServerConfig(host, port, protocol, startupDelayMs, readyDelayMs, latencyMs, errorRate,
        tokenIntervalMs, crashAfterMs, exitOnStart, revision, instance, log);
  }

  /** The instance name reported in predictions once the server listens on {@code boundPort}. */
  String instanceName(int boundPort) {
    return instance != null ? instance : hostname() + ":" + boundPort;
  }

  /** The host name without a DNS look-up, which can take seconds on a machine without a resolver. */
  static String hostname() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      String fromKernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!fromKernel.isEmpty()) {
        return fromKernel;
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through.
    }
    return "localhost";
  }

  private static void requireNonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, not " + value);
    }
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static long number(Map<String, String> env, String name, long defaultValue) {
    String v = value(env, name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'", e);
    }
  }

  /** Out-of-range values stay out of range (and are then rejected) instead of wrapping around. */
  private static int clampToInt(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  private static boolean bool(Map<String, String> env, String name, boolean defaultValue) {
    String v = value(env, name);
    if (v == null) {
      return defaultValue;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true": case "1": case "yes": case "on":
        return true;
      case "false": case "0": case "no": case "off":
        return false;
      default:
        throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
    }
  }

  private static double fraction(Map<String, String> env, String name) {
    String v = value(env, name);
    if (v == null) {
      return 0.0;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number between 0 and 1, not '" + v + "'", e);
    }
  }
}
