package dev.ebb.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.EbbApplication;
import dev.ebb.support.ApiTest;
import dev.ebb.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A gateway's long-poll never holds up a stopping control plane: it is answered, and the gateway told to come back. */
class LongPollReleaseTest {

    @TempDir
    Path dataDir;

    @Test
    void aGatewaysPendingLongPollIsAnsweredWithRetryLaterWhenEbbStops() throws Exception {
        TestDatabase.Coordinates db = TestDatabase.fresh();
        ConfigurableApplicationContext app = new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0",
                "--ebb.data-dir=" + dataDir, "--ebb.database.url=" + db.url(), "--ebb.database.username=" + db.username(),
                "--ebb.database.password=" + db.password(), "--ebb.bootstrap-token=" + ApiTest.TOKEN,
                "--ebb.runtime.enabled=false");
        CompletableFuture<HttpResponse<String>> poll;
        try {
            RoutingPublisher publisher = app.getBean(RoutingPublisher.class);
            long version = publisher.current().version();
            poll = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:"
                            + app.getEnvironment().getProperty("local.server.port") + "/internal/v1/routing?after=" + version
                            + "&wait=60"))
                    .header("Authorization", "Bearer " + ApiTest.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.waiting() == 1);
        } finally {
            app.close();
        }

        HttpResponse<String> answer = poll.get(5, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
    }
}
