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
import tools.jackson.databind.JsonNode;

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
        String body = "{\"name\": \"again\", \"template\": "
                + TinyServer.template("\"env\": {\"MODEL\": \"%s\"}, \"timeoutSeconds\": %d") + "}";
        String host = "again." + ns + ".svc.cluster.local";
        http().post(path(ns), body.formatted("first", 30));
        await().atMost(Duration.ofSeconds(60)).until(() -> through(gateway.port(), host, "/env").body().contains("MODEL=first"));
        assertThat(routedTimeout("again-00001")).isEqualTo(30);

        http().delete(path(ns, "again"));
        http().post(path(ns), body.formatted("second", 45));

        await().atMost(Duration.ofSeconds(60)).until(() -> through(gateway.port(), host, "/env").body().contains("MODEL=second"));
        assertThat(routedTimeout("again-00001")).as("the new service's revision, not the deleted one's of the same name")
                .isEqualTo(45);
        await().atMost(Duration.ofSeconds(60)).until(() -> http().get(path(ns, "again") + "/revisions/again-00001").json()
                .at("/status/conditions/0/status").asString().equals("True"));
    }

    private int routedTimeout(String revision) {
        for (JsonNode routed : http().get("/internal/v1/routing").json().get("revisions")) {
            if (routed.get("namespace").asString().equals(ns) && routed.get("name").asString().equals(revision)) {
                return routed.get("timeoutSeconds").asInt();
            }
        }
        throw new AssertionError(revision + " is not in the routing snapshot");
    }
}
