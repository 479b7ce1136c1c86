package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.google.protobuf.StringValue;
import dev.ebb.feed.RoutingSnapshot.Protocol;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** gRPC over h2c through the gateway to an h2c revision, with descriptors written by hand (no protoc). */
class GrpcThroughGatewayTest {

    private static final MethodDescriptor.Marshaller<StringValue> STRING = ProtoUtils.marshaller(StringValue.getDefaultInstance());
    private static final MethodDescriptor<StringValue, StringValue> SAY = MethodDescriptor.<StringValue, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("ebb.test.Echo/Say")
            .setRequestMarshaller(STRING).setResponseMarshaller(STRING).build();
    private static final MethodDescriptor<StringValue, StringValue> CHAT = MethodDescriptor.<StringValue, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName("ebb.test.Echo/Chat")
            .setRequestMarshaller(STRING).setResponseMarshaller(STRING).build();
    private static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);

    private static Server grpc;
    private static Gateway gateway;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        ServerServiceDefinition echo = ServerServiceDefinition.builder("ebb.test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    if (request.getValue().equals("fail")) {
                        response.onError(Status.NOT_FOUND.withDescription("no such model").asRuntimeException());
                        return;
                    }
                    response.onNext(StringValue.of("hello " + request.getValue()));
                    response.onCompleted();
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(response -> new StreamObserver<StringValue>() {
                    @Override
                    public void onNext(StringValue value) {
                        response.onNext(StringValue.of("echo " + value.getValue()));
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        response.onCompleted();
                    }
                }))
                .build();
        Metadata trailers = new Metadata();
        trailers.put(SERVED_BY, "echo-00001");
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(echo, new TrailerInterceptor(trailers)))
                .build().start();
        RoutingState routes = Snapshots.version(1)
                .service("ml", "echo", Visibility.CLUSTER_LOCAL, to("echo-00001", 100))
                .revision("ml", "echo-00001", Protocol.H2C, 30, Snapshots.at("echo-00001-a", grpc.getPort()))
                .applied();
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), routes);
        gateway.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port())
                .overrideAuthority("echo.ml.svc.cluster.local")
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        gateway.close();
        grpc.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void aUnaryCallPassesWithItsTrailers() {
        AtomicReference<Metadata> received = new AtomicReference<>();
        StringValue reply = ClientCalls.blockingUnaryCall(new TrailerCapturingChannel(channel, received), SAY,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), StringValue.of("gateway"));
        assertThat(reply.getValue()).isEqualTo("hello gateway");
        assertThat(received.get().get(SERVED_BY)).isEqualTo("echo-00001");
    }

    @Test
    void aFailedCallKeepsItsStatusAndMessage() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                StringValue.of("fail")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such model");
                });
    }

    @Test
    void aBidiStreamInterleavesMessagesBothWays() throws Exception {
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<Boolean> completed = new LinkedBlockingQueue<>();
        StreamObserver<StringValue> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(CHAT, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)), new StreamObserver<>() {
                    @Override
                    public void onNext(StringValue value) {
                        replies.add(value.getValue());
                    }

                    @Override
                    public void onError(Throwable t) {
                        errors.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        completed.add(true);
                    }
                });
        for (int i = 0; i < 5; i++) {
            requests.onNext(StringValue.of("message " + i));
            assertThat(replies.poll(10, TimeUnit.SECONDS)).as("the reply arrives before the next request is sent")
                    .isEqualTo("echo message " + i);
        }
        requests.onCompleted();
        assertThat(completed.poll(10, TimeUnit.SECONDS)).isTrue();
        assertThat(errors).isEmpty();
    }

    /** Adds fixed trailers to every call. */
    private record TrailerInterceptor(Metadata trailers) implements io.grpc.ServerInterceptor {
        @Override
        public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                io.grpc.ServerCallHandler<Q, R> next) {
            return next.startCall(new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata callTrailers) {
                    callTrailers.merge(trailers);
                    super.close(status, callTrailers);
                }
            }, headers);
        }
    }

    /** A channel view whose calls report the trailers they received. */
    private static final class TrailerCapturingChannel extends io.grpc.Channel {
        private final io.grpc.Channel delegate;
        private final AtomicReference<Metadata> trailers;

        TrailerCapturingChannel(io.grpc.Channel delegate, AtomicReference<Metadata> trailers) {
            this.delegate = delegate;
            this.trailers = trailers;
        }

        @Override
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(delegate.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onClose(Status status, Metadata received) {
                            trailers.set(received);
                            super.onClose(status, received);
                        }
                    }, headers);
                }
            };
        }

        @Override
        public String authority() {
            return delegate.authority();
        }
    }
}
