package dev.ebb.example.modelserver;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process: reads the environment, honours EXIT_ON_START and CRASH_AFTER_MS, starts the server, and on
 * SIGTERM (or SIGINT) stops accepting, lets in-flight requests finish for up to 10 s and exits with 0.
 */
public final class Main {

  private static final AtomicReference<RunningServer> SERVER = new AtomicReference<>();
  private static volatile boolean stopping;

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    ServerConfig config;
    try {
      config = ServerConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("model-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (config.exitOnStart() != null) {
      RequestLog.line("model-server exiting at start with code " + config.exitOnStart() + " (EXIT_ON_START)");
      System.exit(config.exitOnStart());
      return;
    }
    if (config.crashAfterMs() > 0) {
      scheduleCrash(config.crashAfterMs());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(Main::shutDown, "model-server-shutdown"));

    RunningServer server;
    try {
      server = ModelServer.start(config);
    } catch (IOException e) {
      // halt, not exit: the shutdown hook would turn this failure into exit code 0.
      System.err.println("model-server: cannot listen on " + config.host() + ":" + config.port() + ": " + e);
      System.err.flush();
      Runtime.getRuntime().halt(1);
      return;
    }
    SERVER.set(server);
    if (stopping) {
      // SIGTERM came during the start-up delay; the hook has no server to stop and exits on its own.
      server.close();
      return;
    }
    server.awaitStopped();
  }

  /** Runs on SIGTERM or SIGINT. A JVM ending on a signal exits with 128+signal; this one exits with 0. */
  private static void shutDown() {
    stopping = true;
    RunningServer server = SERVER.get();
    if (server != null) {
      RequestLog.line("model-server stopping: draining in-flight requests (up to "
          + ServerConfig.SHUTDOWN_GRACE.toSeconds() + " s)");
      server.stop();
    }
    RequestLog.line("model-server stopped");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void scheduleCrash(long afterMs) {
    Thread crash = new Thread(() -> {
      try {
        Thread.sleep(afterMs);
      } catch (InterruptedException e) {
        return;
      }
      RequestLog.line("model-server crashing on purpose (CRASH_AFTER_MS=" + afterMs + ")");
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }, "model-server-crash");
    crash.setDaemon(true);
    crash.start();
  }
}
