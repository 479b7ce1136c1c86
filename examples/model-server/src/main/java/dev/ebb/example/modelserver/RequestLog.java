package dev.ebb.example.modelserver;

import java.io.PrintStream;

/** Writes the server's lines to stdout: one at start-up and, unless LOG_REQUESTS=false, one per request. */
final class RequestLog {

  private static final PrintStream OUT = System.out;

  private RequestLog() {
  }

  static void line(String text) {
    OUT.println(text);
  }

  static void request(ServerConfig config, String method, String path, String status, long startNanos) {
    if (config.logRequests()) {
      long ms = (System.nanoTime() - startNanos) / 1_000_000;
      OUT.println("request protocol=" + config.protocol().envName() + " method=" + method + " path=" + path
          + " status=" + status + " duration_ms=" + ms);
    }
  }
}
