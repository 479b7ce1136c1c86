package dev.ebb.example.modelserver;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP/1.1 server, on the JDK's built-in {@link HttpServer}. */
final class HttpModelServer implements RunningServer {

  static {
    // Each SSE event is a small write that must leave at once, not wait for the previous one's ACK.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final String PREDICT_PREFIX = "/v1/models/";
  private static final String PREDICT_SUFFIX = ":predict";
  private static final String GENERATE_SUFFIX = "/generate";
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  private static final long MAX_SLEEP_MS = 600_000;

  private final ServerConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Predictions predictions;
  private final long readyAtNanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object drained = new Object();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final int port;
  private volatile boolean stopping;
  private boolean stopCalled;

  private HttpModelServer(ServerConfig config) throws IOException {
    this.config = config;
    this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
    this.port = server.getAddress().getPort();
    this.predictions = new Predictions(config, config.instanceName(port));
    this.executor = Executors.newCachedThreadPool(daemonThreads("model-server-http-"));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    this.readyAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.readyDelayMs());
    server.start();
  }

  /** Waits STARTUP_DELAY_MS, like a model loading, and only then opens the port. */
  static HttpModelServer start(ServerConfig config) throws IOException, InterruptedException {
    if (config.startupDelayMs() > 0) {
      Thread.sleep(config.startupDelayMs());
    }
    return new HttpModelServer(config);
  }

  @Override
  public ServerConfig config() {
    return config;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public boolean ready() {
    return !stopping && System.nanoTime() - readyAtNanos >= 0;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void stop(Duration grace) {
    synchronized (this) {
      if (stopCalled) {
        return;
      }
      stopCalled = true;
    }
    stopping = true;
    long deadline = System.nanoTime() + grace.toNanos();
    // HttpServer.stop closes the listening socket at once, then waits for exchanges to end, but on JDK 17
    // it waits for the whole delay even when none is left. So it runs on its own thread, and once the
    // in-flight requests are done, a second stop(0) ends it.
    long delaySeconds = Math.max(1, (grace.toMillis() + 1999) / 1000);
    Thread closer = new Thread(() -> server.stop((int) Math.min(Integer.MAX_VALUE, delaySeconds)),
        "model-server-http-stop");
    closer.setDaemon(true);
    closer.start();
    try {
      synchronized (drained) {
        long left;
        while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.stop(0);
      try {
        closer.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor.shutdownNow();
      stopped.countDown();
    }
  }

  @Override
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    inFlight.incrementAndGet();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    int status = 500;
    try {
      status = route(exchange, method, path);
    } catch (Json.BadRequest e) {
      status = sendJson(exchange, 400, Json.error(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = sendJson(exchange, 503, Json.error("the server is stopping"));
    } catch (IOException e) {
      // The client went away; nothing left to answer.
      status = 499;
    } catch (RuntimeException e) {
      status = sendJson(exchange, 500, Json.error("internal error: " + e));
    } finally {
      exchange.close();
      RequestLog.request(config, method, path, Integer.toString(status), start);
      if (inFlight.decrementAndGet() == 0) {
        synchronized (drained) {
          drained.notifyAll();
        }
      }
    }
  }

  private int route(HttpExchange exchange, String method, String path) throws IOException, InterruptedException {
    if (path.equals("/healthz")) {
      return health(exchange);
    }
    if (stopping) {
      exchange.getResponseHeaders().set("Connection", "close");
      return sendJson(exchange, 503, Json.error("the server is stopping"));
    }
    if (path.equals("/echo")) {
      return echo(exchange, method, path);
    }
    if (path.equals("/sleep")) {
      return sleep(exchange);
    }
    if (path.startsWith(PREDICT_PREFIX)) {
      String rest = path.substring(PREDICT_PREFIX.length());
      if (rest.endsWith(PREDICT_SUFFIX) && isModelName(rest, PREDICT_SUFFIX)) {
        return allow(exchange, method, "POST") ? predict(exchange, modelName(rest, PREDICT_SUFFIX)) : 405;
      }
      if (rest.endsWith(GENERATE_SUFFIX) && isModelName(rest, GENERATE_SUFFIX)) {
        return allow(exchange, method, "GET") ? generate(exchange, modelName(rest, GENERATE_SUFFIX)) : 405;
      }
    }
    return sendJson(exchange, 404, Json.error("no such endpoint: " + path));
  }

  private int health(HttpExchange exchange) throws IOException {
    if (ready()) {
      return sendText(exchange, 200, "ok");
    }
    return sendText(exchange, 503, stopping ? "stopping" : "starting");
  }

  private int predict(HttpExchange exchange, String model) throws IOException, InterruptedException {
    byte[] body = readBody(exchange);
    if (body == null) {
      return sendJson(exchange, 413, Json.error("the body is larger than " + MAX_BODY_BYTES + " bytes"));
    }
    JsonArray instances = Predictions.instances(Json.parse(new String(body, StandardCharsets.UTF_8)));
    if (predictions.delayThenFail()) {
      return sendJson(exchange, 500, Json.error("injected error (ERROR_RATE=" + config.errorRate() + ")"));
    }
    return sendJson(exchange, 200, predictions.response(model, instances));
  }

  private int generate(HttpExchange exchange, String model) throws IOException, InterruptedException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String prompt = query.getOrDefault("prompt", "");
    int tokens = Predictions.tokens(query.get("tokens"));
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
    exchange.getResponseHeaders().set("X-Model", model);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < tokens; i++) {
      if (i > 0 && config.tokenIntervalMs() > 0) {
        Thread.sleep(config.tokenIntervalMs());
      }
      out.write(("data: " + Json.write(Predictions.token(prompt, i)) + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    out.write(("event: done\ndata: {\"tokens\":" + tokens + "}\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return 200;
  }

  private int echo(HttpExchange exchange, String method, String path) throws IOException {
    long length = 0;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        length += n;
      }
    }
    Map<String, List<String>> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
    JsonObject headersJson = new JsonObject();
    headers.forEach((name, values) -> {
      JsonArray array = new JsonArray(values.size());
      values.forEach(array::add);
      headersJson.add(name, array);
    });
    JsonObject out = new JsonObject();
    out.addProperty("method", method);
    out.addProperty("path", path);
    String rawQuery = exchange.getRequestURI().getRawQuery();
    out.addProperty("query", rawQuery == null ? "" : rawQuery);
    out.add("headers", headersJson);
    out.addProperty("body_length", length);
    out.addProperty("remote_address", exchange.getRemoteAddress().getAddress().getHostAddress() + ":"
        + exchange.getRemoteAddress().getPort());
    out.addProperty("revision", config.revision());
    out.addProperty("instance", predictions.instance());
    return sendJson(exchange, 200, out);
  }

  private int sleep(HttpExchange exchange) throws IOException, InterruptedException {
    String value = query(exchange.getRequestURI().getRawQuery()).get("ms");
    long ms;
    try {
      ms = value == null ? 0 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 0 || ms > MAX_SLEEP_MS) {
      throw new Json.BadRequest("ms must be a whole number from 0 to " + MAX_SLEEP_MS);
    }
    Thread.sleep(ms);
    JsonObject out = new JsonObject();
    out.addProperty("slept_ms", ms);
    out.addProperty("instance", predictions.instance());
    return sendJson(exchange, 200, out);
  }

  private static boolean allow(HttpExchange exchange, String method, String allowed) {
    if (method.equals(allowed)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", allowed);
    sendJson(exchange, 405, Json.error("use " + allowed));
    return false;
  }

  private static boolean isModelName(String rest, String suffix) {
    String name = modelName(rest, suffix);
    return !name.isEmpty() && name.indexOf('/') < 0;
  }

  private static String modelName(String rest, String suffix) {
    return rest.substring(0, rest.length() - suffix.length());
  }

  /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      return body.length > MAX_BODY_BYTES ? null : body;
    }
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new Json.BadRequest("the query string is not valid URL encoding");
      }
    }
    return params;
  }

  private static int sendText(HttpExchange exchange, int status, String text) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    return send(exchange, status, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends JSON; an I/O error (the client left) is reported as status 499 rather than thrown. */
  private static int sendJson(HttpExchange exchange, int status, JsonElement json) {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      return send(exchange, status, Json.write(json).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return 499;
    }
  }

  private static int send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    return status;
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
