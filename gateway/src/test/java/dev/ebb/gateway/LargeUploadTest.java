package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A 1 GiB upload passes through the gateway as a stream: the backend receives it while it is being sent. */
class LargeUploadTest {

    private static final long TOTAL = 1L << 30;
    private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);

    @Test
    void aOneGibUploadStreamsThroughWithFlatMemory() throws Exception {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        Vertx vertx = Vertx.vertx();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (TestBackend backend = TestBackend.start(vertx, "upload-00001")) {
            RoutingState routes = Snapshots.version(1)
                    .service("ml", "upload", Visibility.CLUSTER_LOCAL, to("upload-00001", 100))
                    .revision("ml", "upload-00001", backend.endpoint())
                    .applied();
            try (Gateway gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), routes)) {
                gateway.start();
                // Buffered upload bytes would survive young collections and land in the old generation; young garbage
                // (the JVM's, and that of other tests' applications still running) comes and goes with GC timing.
                List<MemoryPoolMXBean> oldGeneration = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP
                                && (pool.getName().contains("Old Gen") || pool.getName().contains("Tenured")))
                        .toList();
                assertThat(oldGeneration).as("the JVM's old-generation pools").isNotEmpty();
                LongSupplier retained = () -> oldGeneration.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
                System.gc();
                long heapBefore = retained.getAsLong();
                AtomicLong sent = new AtomicLong();
                AtomicLong maxInFlight = new AtomicLong();
                AtomicLong maxHeap = new AtomicLong();
                sampler.scheduleAtFixedRate(() -> {
                    maxInFlight.accumulateAndGet(sent.get() - backend.uploadedBytes.get(), Math::max);
                    maxHeap.accumulateAndGet(retained.getAsLong(), Math::max);
                }, 0, 20, TimeUnit.MILLISECONDS);

                RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT)
                        .setServer(SocketAddress.inetSocketAddress(gateway.port(), "127.0.0.1"))
                        .setHost("upload.ml.svc.cluster.local").setURI("/upload");
                Future<String> answer = vertx.createHttpClient().request(options).compose(request -> {
                    request.setChunked(true);
                    Future<String> body = request.response().compose(r -> r.body().map(Buffer::toString));
                    writeUntilDone(request, sent);
                    return body;
                });
                String received = answer.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);

                assertThat(received).isEqualTo(Long.toString(TOTAL));
                assertThat(maxInFlight.get()).as("bytes sent but not yet at the backend").isLessThan(64L << 20);
                assertThat(maxHeap.get() - heapBefore).as("old-generation growth during the upload").isLessThan(384L << 20);
            }
        } finally {
            sampler.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Writes 64 KiB chunks as fast as the connection takes them, never more than its write queue holds. */
    private static void writeUntilDone(HttpClientRequest request, AtomicLong sent) {
        while (!request.writeQueueFull() && sent.get() < TOTAL) {
            request.write(CHUNK);
            sent.addAndGet(CHUNK.length());
        }
        if (sent.get() >= TOTAL) {
            request.end();
        } else {
            request.drainHandler(v -> writeUntilDone(request, sent));
        }
    }
}
