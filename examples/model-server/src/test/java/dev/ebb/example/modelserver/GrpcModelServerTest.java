package dev.ebb.example.modelserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class GrpcModelServerTest {

  private static final ServerConfig BASE = ServerConfig.defaults().withPort(0)
      .withProtocol(ServerConfig.Protocol.H2C).withRevision("rev-g").withInstance("grpc-instance");

  private final List<RunningServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void closeAll() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    servers.forEach(RunningServer::close);
  }

  private RunningServer start(ServerConfig config) throws Exception {
    RunningServer server = ModelServer.start(config);
    servers.add(server);
    return server;
  }

  /** A plain grpc-java channel: plaintext HTTP/2 with prior knowledge, as Ebb's gateway speaks to h2c. */
  private ManagedChannel channel(RunningServer server) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create()).build();
    channels.add(channel);
    return channel;
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  @Test
  @DisplayName("a grpc-java client calls ebb.example.Predictor/Predict with hand-written descriptors")
  void unaryPredict() throws Exception {
    RunningServer server = start(BASE);
    ManagedChannel channel = channel(server);

    StringValue reply = ClientCalls.blockingUnaryCall(channel, PredictorGrpcDescriptors.PREDICT, deadline(),
        StringValue.of("{\"model\": \"iris\", \"instances\": [[1, 2], \"x\"]}"));

    JsonObject body = JsonParser.parseString(reply.getValue()).getAsJsonObject();
    assertEquals("iris", body.get("model").getAsString());
    assertEquals("rev-g", body.get("revision").getAsString());
    assertEquals("grpc-instance", body.get("instance").getAsString());
    assertEquals(FakeModel.score("[1,2]"), body.getAsJsonArray("predictions").get(0).getAsDouble());
    assertEquals(FakeModel.score("\"x\""), body.getAsJsonArray("predictions").get(1).getAsDouble());
    assertEquals("ebb.example.Predictor/Predict", PredictorGrpcDescriptors.PREDICT.getFullMethodName());

    StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
        channel, PredictorGrpcDescriptors.PREDICT, deadline(), StringValue.of("not json")));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
  }

  @Test
  @DisplayName("ebb.example.Predictor/Generate streams one message per token, in order")
  void serverStreamingGenerate() throws Exception {
    RunningServer server = start(BASE.withTokenIntervalMs(20));
    ManagedChannel channel = channel(server);

    Iterator<StringValue> stream = ClientCalls.blockingServerStreamingCall(channel, PredictorGrpcDescriptors.GENERATE,
        deadline(), StringValue.of("{\"prompt\": \"once upon\", \"tokens\": 5}"));
    List<JsonObject> tokens = new ArrayList<>();
    stream.forEachRemaining(message -> tokens.add(JsonParser.parseString(message.getValue()).getAsJsonObject()));

    assertEquals(5, tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      assertEquals(i, tokens.get(i).get("index").getAsInt());
      assertEquals(FakeModel.token("once upon", i), tokens.get(i).get("token").getAsString());
    }
    List<StringValue> plain = new ArrayList<>();
    ClientCalls.blockingServerStreamingCall(channel, PredictorGrpcDescriptors.GENERATE, deadline(),
        StringValue.of("a plain prompt")).forEachRemaining(plain::add);
    assertEquals(Predictions.DEFAULT_TOKENS, plain.size());
  }

  @Test
  @DisplayName("the standard health service says NOT_SERVING while the model loads, then SERVING")
  void healthGoesServingAfterStartupDelay() throws Exception {
    long delayMs = 1000;
    long startNanos = System.nanoTime();
    RunningServer server = start(BASE.withStartupDelayMs(delayMs));
    ManagedChannel channel = channel(server);

    if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) < delayMs / 2) {
      assertEquals(ServingStatus.NOT_SERVING, health(channel, ""));
      StatusRuntimeException loading = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
          channel, PredictorGrpcDescriptors.PREDICT, deadline(), StringValue.of("{\"instances\": [1]}")));
      assertEquals(Status.Code.UNAVAILABLE, loading.getStatus().getCode());
    }
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> health(channel, "") == ServingStatus.SERVING);

    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) >= delayMs,
        "SERVING only after STARTUP_DELAY_MS");
    assertEquals(ServingStatus.SERVING, health(channel, PredictorGrpcDescriptors.SERVICE_NAME));
    assertTrue(server.ready());
  }

  @Test
  @DisplayName("with ERROR_RATE=1 every Predict fails with UNAVAILABLE")
  void errorRateOneGivesUnavailable() throws Exception {
    RunningServer server = start(BASE.withErrorRate(1.0));
    ManagedChannel channel = channel(server);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
        channel, PredictorGrpcDescriptors.PREDICT, deadline(), StringValue.of("{\"instances\": [1]}")));

    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertEquals(ServingStatus.SERVING, health(channel, ""));
  }

  @Test
  @DisplayName("stop lets a Generate stream in flight finish and turns health to NOT_SERVING")
  void stopFinishesInFlightStream() throws Exception {
    RunningServer server = start(BASE.withTokenIntervalMs(100));
    ManagedChannel channel = channel(server);

    Iterator<StringValue> stream = ClientCalls.blockingServerStreamingCall(channel, PredictorGrpcDescriptors.GENERATE,
        deadline(), StringValue.of("{\"prompt\": \"drain\", \"tokens\": 10}"));
    stream.next();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.ready());

    int received = 1;
    while (stream.hasNext()) {
      stream.next();
      received++;
    }
    assertEquals(10, received, "every token of the stream in flight arrived");
    stopping.get(15, TimeUnit.SECONDS);
  }
}
