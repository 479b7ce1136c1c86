package dev.ebb.routing;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.Gateway;
import dev.ebb.support.ApiTest;
import dev.ebb.support.RawHttp;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** In embedded mode a service deployed through the API answers through the gateway in the same JVM. */
// Closed after this class: its runtime's instances would otherwise keep scaling, and changing the shared
// database, under the test classes that run after it.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=true")
class EmbeddedRoutingTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    @Autowired
    Gateway gateway;

    private static RawHttp.Answer through(int port, String host, String path) throws Exception {
        return RawHttp.get(port, host, path);
    }

    @Test
    void aDeployedServiceAnswersThroughTheGatewayOnlyOnTheListenersItsVisibilityAllows() throws Exception {
        http().post(path(ns), "{\"name\": \"hello\", \"template\": " + TinyServer.template("") + "}");
        String host = "hello." + ns + ".svc.cluster.local";

        await().atMost(Duration.ofSeconds(60)).until(() -> through(gateway.port(), host, "/healthz").status() == 200);

        RawHttp.Answer env = through(gateway.port(), host, "/env");
        assertThat(env.body()).contains("K_REVISION=hello-00001");
        assertThat(through(gateway.publicPort(), "hello." + ns + ".ebb.localhost", "/healthz").status())
                .as("cluster-local by default: not on the public listener").isEqualTo(404);

        http().patch(path(ns, "hello"), "{\"visibility\": \"public\"}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                through(gateway.publicPort(), "hello." + ns + ".ebb.localhost", "/healthz").status() == 200);
    }

    @Test
    void aServiceDeletedAndCreatedAgainRunsItsNewTemplateUnderTheSameRevisionName() throws Exception {
        String body = "{\"name\": \"again\", \"template\": " + TinyServer.template("\"env\": {\"MODEL\": \"%s\"}") + "}";
        String host = "again." + ns + ".svc.cluster.local";
        http().post(path(ns), body.formatted("first"));
        await().atMost(Duration.ofSeconds(60)).until(() -> through(gateway.port(), host, "/env").body().contains("MODEL=first"));

        http().delete(path(ns, "again"));
        http().post(path(ns), body.formatted("second"));

        await().atMost(Duration.ofSeconds(60)).until(() -> through(gateway.port(), host, "/env").body().contains("MODEL=second"));
        await().atMost(Duration.ofSeconds(60)).until(() -> http().get(path(ns, "again") + "/revisions/again-00001").json()
                .at("/status/conditions/0/status").asString().equals("True"));
    }
}
