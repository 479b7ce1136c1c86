package dev.ebb.example.modelserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpModelServerTest {

  private static final ServerConfig BASE = ServerConfig.defaults().withPort(0).withRevision("rev-1")
      .withInstance("test-instance");

  private final List<RunningServer> started = new ArrayList<>();

  @AfterEach
  void stopServers() {
    started.forEach(RunningServer::close);
  }

  private RunningServer start(ServerConfig config) throws Exception {
    RunningServer server = ModelServer.start(config);
    started.add(server);
    return server;
  }

  @Test
  @DisplayName("a client posts KServe v1 instances and gets one prediction each, with the revision and instance")
  void predictRoundTrip() throws Exception {
    RunningServer server = start(BASE);

    HttpResponse<String> response =
        Http.post(server.port(), "/v1/models/iris:predict", "{\"instances\": [[5.1, 3.5], \"text\", {\"a\": 1}]}");

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    assertEquals("iris", body.get("model").getAsString());
    assertEquals("rev-1", body.get("revision").getAsString());
    assertEquals("test-instance", body.get("instance").getAsString());
    JsonArray predictions = body.getAsJsonArray("predictions");
    assertEquals(3, predictions.size());
    assertEquals(FakeModel.score("[5.1,3.5]"), predictions.get(0).getAsDouble());
    assertEquals(FakeModel.score("\"text\""), predictions.get(1).getAsDouble());
    assertEquals(FakeModel.score("{\"a\":1}"), predictions.get(2).getAsDouble());

    HttpResponse<String> again = Http.post(server.port(), "/v1/models/iris:predict", "{\"instances\":[[5.1,3.5]]}");
    assertEquals(predictions.get(0).getAsDouble(),
        JsonParser.parseString(again.body()).getAsJsonObject().getAsJsonArray("predictions").get(0).getAsDouble(),
        "predictions are a deterministic function of the input");
  }

  @Test
  @DisplayName("a predict without an instances array, or with broken JSON, is a 400; a GET is a 405")
  void predictRejectsBadRequests() throws Exception {
    RunningServer server = start(BASE);

    assertEquals(400, Http.post(server.port(), "/v1/models/iris:predict", "{\"inputs\": []}").statusCode());
    assertEquals(400, Http.post(server.port(), "/v1/models/iris:predict", "{\"instances\": [1,").statusCode());
    HttpResponse<String> get = Http.get(server.port(), "/v1/models/iris:predict");
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
    assertEquals(404, Http.get(server.port(), "/v1/models/:predict").statusCode());
  }

  @Test
  @DisplayName("with ERROR_RATE=1 every predict answers 500")
  void errorRateOneFailsEveryPredict() throws Exception {
    RunningServer server = start(BASE.withErrorRate(1.0));

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = Http.post(server.port(), "/v1/models/iris:predict", "{\"instances\": [1]}");
      assertEquals(500, response.statusCode());
      assertTrue(response.body().contains("injected error"), response.body());
    }
    assertEquals(200, Http.get(server.port(), "/healthz").statusCode(), "health is not affected by ERROR_RATE");
  }

  @Test
  @DisplayName("generated tokens reach the client one SSE event at a time, the first long before the last exists")
  void sseTokensArriveIncrementally() throws Exception {
    long intervalMs = 150;
    int tokens = 8;
    RunningServer server = start(BASE.withTokenIntervalMs(intervalMs));

    long startNanos = System.nanoTime();
    HttpResponse<InputStream> response = Http.CLIENT.send(
        HttpRequest.newBuilder(Http.uri(server.port(), "/v1/models/llm/generate?prompt=hello%20world&tokens=" + tokens))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));

    List<String> data = new ArrayList<>();
    List<Long> arrivalMs = new ArrayList<>();
    boolean done = false;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("data: ") && !done) {
          arrivalMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
          data.add(line.substring("data: ".length()));
        } else if (line.equals("event: done")) {
          done = true;
        }
      }
    }

    assertTrue(done, "the stream ends with an event named done");
    assertEquals(tokens, data.size());
    for (int i = 0; i < tokens; i++) {
      JsonObject event = JsonParser.parseString(data.get(i)).getAsJsonObject();
      assertEquals(i, event.get("index").getAsInt());
      assertEquals(FakeModel.token("hello world", i), event.get("token").getAsString());
    }
    // The server sleeps TOKEN_INTERVAL_MS between tokens. A buffered stream delivers them all at once; a streamed
    // one spreads them over the production time. Measured between arrivals, not from the request, so that a busy
    // machine that is slow to answer the request at all does not look like buffering.
    long lastProducedAtTheEarliest = intervalMs * (tokens - 1);
    assertTrue(arrivalMs.get(tokens - 1) - arrivalMs.get(0) >= intervalMs,
        "the tokens arrived together, within " + (arrivalMs.get(tokens - 1) - arrivalMs.get(0))
            + " ms: the stream is buffered; arrivals " + arrivalMs);
    assertTrue(arrivalMs.get(tokens - 1) >= lastProducedAtTheEarliest, "arrivals " + arrivalMs);
  }

  @Test
  @DisplayName("with STARTUP_DELAY_MS nothing answers /healthz until the delay has passed, then it answers ok")
  void startupDelayKeepsHealthzSilent() throws Exception {
    // Long enough that the first attempt comes before it even on a busy machine.
    long delayMs = 3000;
    int port = Http.freePort();
    long startNanos = System.nanoTime();
    CompletableFuture<RunningServer> starting = CompletableFuture.supplyAsync(() -> {
      try {
        return start(BASE.withPort(port).withStartupDelayMs(delayMs));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    // {ms since start when the attempt began, ms when it ended, status or -1 when refused}
    List<long[]> attempts = new CopyOnWriteArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      long began = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      try {
        HttpResponse<String> response = Http.get(port, "/healthz");
        attempts.add(new long[] {began, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), response.statusCode()});
        return response.statusCode() == 200 && response.body().equals("ok");
      } catch (ConnectException e) {
        attempts.add(new long[] {began, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), -1});
        return false;
      }
    });

    long[] first = attempts.get(0);
    assertTrue(first[0] < delayMs && first[2] == -1,
        "the first attempt, at " + first[0] + " ms, found the port closed");
    // The server opens its port no sooner than the delay after startNanos, so an answer cannot end before it; an
    // attempt that began before the delay may still be answered if it connected after it (a busy machine).
    for (long[] attempt : attempts) {
      if (attempt[2] != -1) {
        assertTrue(attempt[1] >= delayMs, "an attempt answered at " + attempt[1] + " ms, before the delay of " + delayMs + " ms");
      }
    }
    RunningServer server = starting.get(5, TimeUnit.SECONDS);
    assertEquals(port, server.port());
    assertTrue(server.ready());
  }

  @Test
  @DisplayName("with READY_DELAY_MS the port is open but /healthz answers 503 until the delay has passed")
  void readyDelayAnswers503First() throws Exception {
    RunningServer server = start(BASE.withReadyDelayMs(800));

    HttpResponse<String> early = Http.get(server.port(), "/healthz");
    assertEquals(503, early.statusCode());
    assertEquals("starting", early.body());
    await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(server.port(), "/healthz").statusCode() == 200);
  }

  @Test
  @DisplayName("/echo reports the method, path, query, headers and body length a proxy passed on")
  void echoReportsTheRequest() throws Exception {
    RunningServer server = start(BASE);

    HttpResponse<String> response = Http.CLIENT.send(
        HttpRequest.newBuilder(Http.uri(server.port(), "/echo?x=1&y=two"))
            .header("X-Forwarded-For", "10.1.2.3")
            .header("X-Forwarded-Proto", "https")
            .POST(HttpRequest.BodyPublishers.ofString("twelve bytes"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    JsonObject echo = JsonParser.parseString(response.body()).getAsJsonObject();
    assertEquals("POST", echo.get("method").getAsString());
    assertEquals("/echo", echo.get("path").getAsString());
    assertEquals("x=1&y=two", echo.get("query").getAsString());
    assertEquals(12, echo.get("body_length").getAsLong());
    JsonObject headers = echo.getAsJsonObject("headers");
    assertEquals("10.1.2.3", headers.getAsJsonArray("x-forwarded-for").get(0).getAsString());
    assertEquals("https", headers.getAsJsonArray("x-forwarded-proto").get(0).getAsString());

    JsonObject get = JsonParser.parseString(Http.get(server.port(), "/echo").body()).getAsJsonObject();
    assertEquals("GET", get.get("method").getAsString());
    assertEquals(0, get.get("body_length").getAsLong());
  }

  @Test
  @DisplayName("stop (what SIGTERM calls) closes the port at once but lets an in-flight request finish")
  void stopFinishesInFlightRequest() throws Exception {
    RunningServer server = start(BASE);
    int port = server.port();

    CompletableFuture<HttpResponse<String>> inFlight = Http.CLIENT.sendAsync(
        HttpRequest.newBuilder(Http.uri(port, "/sleep?ms=2000")).build(), HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.ready());
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
            "new connections are refused while draining"));
    assertFalse(stopping.isDone(), "stop waits for the request in flight");

    HttpResponse<String> response = inFlight.get(15, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    assertEquals(2000, JsonParser.parseString(response.body()).getAsJsonObject().get("slept_ms").getAsLong());
    stopping.get(15, TimeUnit.SECONDS);
    assertEquals(0, server.inFlight());
  }

  @Test
  @DisplayName("stop with nothing in flight returns promptly instead of waiting out the grace period")
  void stopWithoutRequestsIsPrompt() throws Exception {
    RunningServer server = start(BASE);
    assertEquals(200, Http.get(server.port(), "/healthz").statusCode());

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);

    stopping.get(5, TimeUnit.SECONDS);
    assertThrows(IOException.class, () -> Http.get(server.port(), "/healthz"));
  }
}
