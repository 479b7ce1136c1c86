package dev.ebb.gateway;

import com.google.protobuf.Int32Value;
import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC instance for tests, descriptors written by hand (no protoc): {@code ebb.test.Count/To} streams the numbers
 * from 1 to the one asked for, one message each. With a client for it.
 */
final class GrpcEcho implements AutoCloseable {

    static final MethodDescriptor<Int32Value, StringValue> COUNT = MethodDescriptor.<Int32Value, StringValue>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName("ebb.test.Count/To")
            .setRequestMarshaller(ProtoUtils.marshaller(Int32Value.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance())).build();

    private final Server server;

    private GrpcEcho(Server server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    static GrpcEcho start() throws Exception {
        ServerServiceDefinition count = ServerServiceDefinition.builder("ebb.test.Count")
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    for (int i = 1; i <= request.getValue(); i++) {
                        response.onNext(StringValue.of(Integer.toString(i)));
                    }
                    response.onCompleted();
                }))
                .build();
        return new GrpcEcho(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(count).build().start());
    }

    int port() {
        return server.getPort();
    }

    /** Calls {@code To(n)} on {@code host:port} with {@code authority} as the call's Host; the messages that came back. */
    static List<String> countTo(String host, int port, String authority, int n) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).overrideAuthority(authority).usePlaintext().build();
        try {
            List<String> received = new ArrayList<>();
            Iterator<StringValue> stream = ClientCalls.blockingServerStreamingCall(channel, COUNT,
                    CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), Int32Value.of(n));
            stream.forEachRemaining(value -> received.add(value.getValue()));
            return received;
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
