package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import dev.ebb.gateway.GatewayProperties.TransportSetting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** The gateway proxies the same way on each transport its event loops can run on, where this host offers it. */
class GatewayTransportsTest {

    private Vertx vertx;
    private TestBackend backend;
    private Gateway gateway;

    @BeforeEach
    void startBackend() throws Exception {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        vertx = Vertx.vertx();
        backend = TestBackend.start(vertx, "web-00001");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = TransportSetting.class, names = {"IO_URING", "EPOLL", "NIO"})
    void aRequestAndAStreamedUploadPassOnEachTransport(TransportSetting setting) throws Exception {
        Transport transport = TransportChoice.of(setting);
        assumeTrue(transport.available(), () -> "this host does not offer " + setting + ": " + transport.unavailabilityCause());
        start(setting);

        assertThat(gateway.transport().transport()).isEqualTo(transport);
        assertThat(new TestClient(vertx).get(gateway.port(), "web.ml.svc.cluster.local", "/").body()).isEqualTo("web-00001");
        Buffer upload = Buffer.buffer(new byte[8 * 1024 * 1024]);
        HttpClient client = vertx.createHttpClient();
        String answer = client.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setServer(SocketAddress.inetSocketAddress(gateway.port(), "127.0.0.1"))
                        .setHost("web.ml.svc.cluster.local").setPort(gateway.port()).setURI("/upload"))
                .compose(request -> request.send(upload))
                .compose(response -> response.body())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).toString();
        assertThat(answer).isEqualTo(Integer.toString(upload.length()));
    }

    @Test
    void autoTakesIoUringWhereTheHostOffersItAndLetsItsIdleWaitsStayOutOfIowait() throws Exception {
        assumeTrue(Gateway.ioUringIdlesQuietly() && Transport.IO_URING.available(),
                "io_uring or its quiet idle waits (Linux 6.15 or later) are not offered here");

        start(TransportSetting.AUTO);

        assertThat(gateway.transport()).isEqualTo(new TransportChoice(Transport.IO_URING, "io_uring"));
        assertThat(new TestClient(vertx).get(gateway.port(), "web.ml.svc.cluster.local", "/").body()).isEqualTo("web-00001");
    }

    private void start(TransportSetting setting) {
        RoutingState routes = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
        routes.apply(Snapshots.version(1)
                .service("ml", "web", Visibility.CLUSTER_LOCAL, to("web-00001", 100))
                .revision("ml", "web-00001", backend.endpoint())
                .build());
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).withTransport(setting), routes,
                LoadSink.NONE, OutputStream.nullOutputStream());
        gateway.start();
    }
}
