package dev.ebb.example.modelserver;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.StringValue;
import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC server: plaintext HTTP/2 with prior knowledge (h2c), the {@code ebb.example.Predictor} service
 * and the standard {@code grpc.health.v1.Health} service.
 */
final class GrpcModelServer implements RunningServer {

  private final ServerConfig config;
  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ExecutorService executor = Executors.newCachedThreadPool(HttpModelServer.daemonThreads("model-server-grpc-"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(HttpModelServer.daemonThreads("model-server-grpc-timer-"));
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Predictions predictions;
  private final int port;
  private volatile boolean ready;
  private volatile boolean stopping;
  private boolean stopCalled;

  private GrpcModelServer(ServerConfig config) throws IOException {
    this.config = config;
    // Not serving until STARTUP_DELAY_MS has passed, as a server still loading its model.
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    health.setStatus(PredictorGrpcDescriptors.SERVICE_NAME, ServingStatus.NOT_SERVING);
    ServerInterceptor log = new LogInterceptor();
    this.server = NettyServerBuilder
        .forAddress(new InetSocketAddress(config.host(), config.port()), InsecureServerCredentials.create())
        .executor(executor)
        .addService(ServerInterceptors.intercept(predictorService(), log))
        .addService(ServerInterceptors.intercept(health.getHealthService(), log))
        .build()
        .start();
    this.port = server.getPort();
    this.predictions = new Predictions(config, config.instanceName(port));
    if (config.startupDelayMs() > 0) {
      timer.schedule(this::becomeReady, config.startupDelayMs(), TimeUnit.MILLISECONDS);
    } else {
      becomeReady();
    }
  }

  /** Opens the port at once; health turns SERVING after STARTUP_DELAY_MS. */
  static GrpcModelServer start(ServerConfig config) throws IOException {
    return new GrpcModelServer(config);
  }

  private synchronized void becomeReady() {
    if (stopping) {
      return;
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    health.setStatus(PredictorGrpcDescriptors.SERVICE_NAME, ServingStatus.SERVING);
    ready = true;
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
    return ready && !stopping;
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
      stopping = true;
      ready = false;
      // Health watchers see NOT_SERVING; new calls are refused; calls in progress go on.
      health.enterTerminalState();
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      timer.shutdownNow();
      executor.shutdownNow();
      stopped.countDown();
    }
  }

  @Override
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  private ServerServiceDefinition predictorService() {
    return ServerServiceDefinition.builder(PredictorGrpcDescriptors.SERVICE)
        .addMethod(PredictorGrpcDescriptors.PREDICT, ServerCalls.asyncUnaryCall(this::predict))
        .addMethod(PredictorGrpcDescriptors.GENERATE, ServerCalls.asyncServerStreamingCall(this::generate))
        .build();
  }

  private void predict(StringValue request, StreamObserver<StringValue> response) {
    if (!ready) {
      response.onError(notReady());
      return;
    }
    try {
      JsonElement body = Json.parse(request.getValue());
      JsonArray instances = Predictions.instances(body);
      String model = stringField(body.getAsJsonObject(), "model", "default");
      if (predictions.delayThenFail()) {
        response.onError(Status.UNAVAILABLE
            .withDescription("injected error (ERROR_RATE=" + config.errorRate() + ")").asRuntimeException());
        return;
      }
      response.onNext(StringValue.of(Json.write(predictions.response(model, instances))));
      response.onCompleted();
    } catch (Json.BadRequest e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.onError(Status.UNAVAILABLE.withDescription("the server is stopping").asRuntimeException());
    }
  }

  private void generate(StringValue request, StreamObserver<StringValue> response) {
    if (!ready) {
      response.onError(notReady());
      return;
    }
    ServerCallStreamObserver<StringValue> call = (ServerCallStreamObserver<StringValue>) response;
    // A client that goes away ends the loop below (it checks the context); onNext must not throw meanwhile.
    call.setOnCancelHandler(() -> { });
    Context context = Context.current();
    try {
      String prompt = request.getValue();
      int tokens = Predictions.DEFAULT_TOKENS;
      if (prompt.trim().startsWith("{")) {
        JsonElement body = Json.parse(prompt);
        prompt = stringField(body.getAsJsonObject(), "prompt", "");
        JsonElement n = body.getAsJsonObject().get("tokens");
        tokens = Predictions.tokens(n == null || n.isJsonNull() ? null : n.getAsString());
      }
      for (int i = 0; i < tokens; i++) {
        if (i > 0 && config.tokenIntervalMs() > 0) {
          Thread.sleep(config.tokenIntervalMs());
        }
        if (context.isCancelled() || call.isCancelled()) {
          return;
        }
        call.onNext(StringValue.of(Json.write(Predictions.token(prompt, i))));
      }
      call.onCompleted();
    } catch (Json.BadRequest e) {
      call.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (IllegalStateException | UnsupportedOperationException e) {
      call.onError(Status.INVALID_ARGUMENT.withDescription("tokens must be a number").asRuntimeException());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.onError(Status.UNAVAILABLE.withDescription("the server is stopping").asRuntimeException());
    }
  }

  private static RuntimeException notReady() {
    return Status.UNAVAILABLE.withDescription("the model is still loading").asRuntimeException();
  }

  private static String stringField(JsonObject object, String name, String defaultValue) {
    JsonElement value = object.get(name);
    if (value == null || value.isJsonNull()) {
      return defaultValue;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new Json.BadRequest("\"" + name + "\" must be a string");
    }
    return value.getAsString();
  }

  /** Counts calls in flight and logs one line per call when it ends. */
  private final class LogInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      long start = System.nanoTime();
      String path = "/" + call.getMethodDescriptor().getFullMethodName();
      AtomicBoolean ended = new AtomicBoolean();
      AtomicBoolean logged = new AtomicBoolean();
      inFlight.incrementAndGet();
      Runnable end = () -> {
        if (ended.compareAndSet(false, true)) {
          inFlight.decrementAndGet();
        }
      };
      ServerCall<Q, R> loggingCall = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          if (logged.compareAndSet(false, true)) {
            RequestLog.request(config, "POST", path, status.getCode().name(), start);
          }
          super.close(status, trailers);
        }
      };
      ServerCall.Listener<Q> listener;
      try {
        listener = next.startCall(loggingCall, headers);
      } catch (RuntimeException e) {
        end.run();
        throw e;
      }
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
        @Override
        public void onComplete() {
          try {
            super.onComplete();
          } finally {
            end.run();
          }
        }

        @Override
        public void onCancel() {
          try {
            if (logged.compareAndSet(false, true)) {
              RequestLog.request(config, "POST", path, "CANCELLED", start);
            }
            super.onCancel();
          } finally {
            end.run();
          }
        }
      };
    }
  }
}
