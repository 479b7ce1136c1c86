package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway told to stop (SIGTERM, a rolling update) finishes the requests it is forwarding before it goes, and says in
 * its last load report that it holds none.
 */
class GracefulStopTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A started gateway routing slow.ml to an instance that keeps each request it gets in {@code held}, unanswered. */
    private Gateway gatewayToOneThatHolds(AtomicReference<HttpServerRequest> held, LoadSink sink) throws Exception {
        HttpServer backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(held::set);
        backend.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        RoutingState routes = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
        routes.apply(Snapshots.version(2).service("ml", "slow", Visibility.CLUSTER_LOCAL, to("slow-00001", 100))
                .revision("ml", "slow-00001", Snapshots.at("slow-00001-a", backend.actualPort())).build());
        Gateway gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), routes, sink,
                OutputStream.nullOutputStream());
        gateway.start();
        return gateway;
    }

    @Test
    void aRequestInFlightWhenTheGatewayStopsIsAnsweredNotCut() throws Exception {
        AtomicReference<HttpServerRequest> held = new AtomicReference<>();
        Gateway gateway = gatewayToOneThatHolds(held, LoadSink.NONE);

        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            client.setSoTimeout(60_000);
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: slow.ml.svc.cluster.local\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            await().until(() -> held.get() != null);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::close);
            await().until(() -> {
                try {
                    new Socket("127.0.0.1", gateway.port()).close();
                    return false;
                } catch (java.net.ConnectException refused) {
                    return true;
                }
            });
            assertThat(stopping).as("still waiting for the request in flight").isNotDone();
            held.get().response().end("finished");

            InputStream in = client.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("finished");
            stopping.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStoppedGatewaysLastReportShowsNothingInFlightAndCountsItsLastRequest() throws Exception {
        AtomicReference<HttpServerRequest> held = new AtomicReference<>();
        RecordingLoadSink sink = new RecordingLoadSink();
        Gateway gateway = gatewayToOneThatHolds(held, sink);

        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            client.setSoTimeout(60_000);
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: slow.ml.svc.cluster.local\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // The reports show the request in flight, as a gateway's last report would if it fell silent now.
            await().until(() -> sink.loadsOf("slow-00001").stream().anyMatch(load -> load.concurrency() > 0));

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::close);
            held.get().response().end("finished");
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).endsWith("finished");
            stopping.get(60, TimeUnit.SECONDS);
        }

        LoadReport last = sink.reports.get(sink.reports.size() - 1);
        assertThat(last.revisions()).as("the last report names the revision").isNotEmpty().allSatisfy(load -> {
            assertThat(load.concurrency()).isZero();
            assertThat(load.queued()).isZero();
        });
        assertThat(sink.requestsOf("slow-00001", "").requests()).as("the request, counted once across the reports").isEqualTo(1);
    }
}
