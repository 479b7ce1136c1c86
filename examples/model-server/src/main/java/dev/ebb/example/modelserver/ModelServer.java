package dev.ebb.example.modelserver;

import java.io.IOException;

/** Starts a model server in this JVM: what {@link Main} does, and what tests do on port 0. */
public final class ModelServer {

  private ModelServer() {
  }

  /**
   * Starts the server and logs the line {@code model-server listening on HOST:PORT protocol=...
   * startup_delay_ms=...}.
   *
   * <p>For http1 this first waits STARTUP_DELAY_MS, so the port opens late as when a model loads, and
   * returns once the port is open. For h2c it returns as soon as the port is open, and the health service
   * reports NOT_SERVING until STARTUP_DELAY_MS has passed.
   */
  public static RunningServer start(ServerConfig config) throws IOException, InterruptedException {
    RunningServer server = config.protocol() == ServerConfig.Protocol.H2C
        ? GrpcModelServer.start(config)
        : HttpModelServer.start(config);
    RequestLog.line("model-server listening on " + config.host() + ":" + server.port()
        + " protocol=" + config.protocol().envName() + " startup_delay_ms=" + config.startupDelayMs());
    return server;
  }
}
