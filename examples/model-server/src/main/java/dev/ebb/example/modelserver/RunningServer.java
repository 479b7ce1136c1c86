package dev.ebb.example.modelserver;

import java.time.Duration;

/** A started model server: where it listens, whether it is ready, and how to stop it. */
public interface RunningServer extends AutoCloseable {

  /** The configuration it was started with (its port may be 0: see {@link #port()}). */
  ServerConfig config();

  /** The port it listens on, the real one when it was started on port 0. */
  int port();

  /** True once /healthz answers 200 (http1) or the health service reports SERVING (h2c). */
  boolean ready();

  /** Requests (or gRPC calls) being served right now. */
  int inFlight();

  /**
   * Stops accepting connections, lets in-flight requests finish for up to {@code grace}, then closes
   * everything. Returns when the server is stopped. Calling it again does nothing.
   */
  void stop(Duration grace);

  /** Stops as a SIGTERM does: in-flight requests get up to {@link ServerConfig#SHUTDOWN_GRACE}. */
  default void stop() {
    stop(ServerConfig.SHUTDOWN_GRACE);
  }

  /** Waits until the server has stopped. */
  void awaitStopped() throws InterruptedException;

  /** Stops at once, without waiting for in-flight requests. */
  @Override
  default void close() {
    stop(Duration.ZERO);
  }
}
