package dev.ebb.leadership;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.EbbApplication;
import dev.ebb.gateway.GatewayMain;
import dev.ebb.gateway.StandaloneGateway;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RawHttp;
import dev.ebb.support.Services;
import dev.ebb.support.TestDatabase;
import dev.ebb.support.TinyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two control planes on one database, as two replicas behind one address: one leads and runs the revisions, the other
 * serves the API, and takes over when the leader goes.
 */
class TwoReplicasTest {

    private static final Duration SLOW = Duration.ofSeconds(90);

    @TempDir
    Path first;
    @TempDir
    Path second;
    @TempDir
    Path gatewayData;

    private final TestDatabase.Coordinates db = TestDatabase.fresh();
    private final String ns = Services.freshNamespace();
    private ConfigurableApplicationContext leader;
    private ConfigurableApplicationContext follower;
    private StandaloneGateway gateway;

    private ConfigurableApplicationContext replica(Path dataDir) {
        return new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0", "--ebb.data-dir=" + dataDir,
                "--ebb.database.url=" + db.url(), "--ebb.database.username=" + db.username(),
                "--ebb.database.password=" + db.password(), "--ebb.bootstrap-token=" + ApiTest.TOKEN);
    }

    private static Http http(ConfigurableApplicationContext app) {
        return new Http("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), ApiTest.TOKEN);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (follower != null) {
            follower.close();
        }
        if (leader != null) {
            leader.close();
        }
    }

    @Test
    void theSecondReplicaFollowsServesTheApiAndTakesOverWhenTheLeaderStops() {
        leader = replica(first);
        follower = replica(second);
        assertThat(leader.getBean(Leadership.class).leads()).isTrue();
        assertThat(follower.getBean(Leadership.class).leads()).isFalse();

        Http.Response refused = http(follower).get("/internal/v1/routing");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().get("type").asString()).endsWith("not-the-leader");
        assertThat(refused.json().get("detail").asString()).contains(follower.getBean(Leadership.class).replica());
        assertThat(http(leader).get("/internal/v1/routing").status()).isEqualTo(200);
        String leaderName = leader.getBean(Leadership.class).replica();
        for (ConfigurableApplicationContext replica : List.of(leader, follower)) {
            JsonNode controlPlane = http(replica).get("/api/v1/control-plane").json();
            assertThat(controlPlane.at("/leader/replica").asString()).as("the same leader, whoever is asked").isEqualTo(leaderName);
            assertThat(controlPlane.get("leads").asBoolean()).isEqualTo(replica == leader);
        }

        // Created through the follower, run by the leader: they share the database.
        Http.Response created = http(follower).post(path(ns), "{\"name\": \"hello\", \"template\": " + TinyServer.template("") + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(SLOW).until(() -> ready(leader));
        JsonNode local = http(leader).get("/api/v1/clusters/local").json().get("status");
        assertThat(local.get("reachable").asBoolean()).isTrue();
        assertThat(local.get("version").asString()).isEqualTo("local");
        assertThat(local.at("/instances/ready").asInt()).isEqualTo(1);
        assertThat(local.get("lastReconciled").isNull()).as("the leader applies").isFalse();
        assertThat(http(follower).get("/api/v1/clusters/local").json().at("/status/lastReconciled").isNull())
                .as("a follower applies nothing").isTrue();
        // A gateway of its own, given both replicas, the follower first: it finds the leader by itself.
        gateway = standaloneGateway(follower, leader);
        int port = gateway.gateway().port();
        String host = "hello." + ns + ".svc.cluster.local";
        await().atMost(SLOW).until(() -> RawHttp.get(port, host, "/healthz").status() == 200);

        leader.close();
        leader = null;

        await().atMost(Duration.ofSeconds(15)).until(() -> follower.getBean(Leadership.class).leads());
        assertThat(http(follower).get("/internal/v1/routing").status()).isEqualTo(200);
        await().atMost(SLOW).until(() -> ready(follower));
        // Its instance, started by the new leader, is what the gateway now routes to.
        await().atMost(SLOW).until(() -> RawHttp.get(port, host, "/healthz").status() == 200);
    }

    private StandaloneGateway standaloneGateway(ConfigurableApplicationContext... replicas) {
        Http.Response token = http(replicas[0]).post("/api/v1/tokens", "{\"name\": \"gateways\", \"kind\": \"gateway\"}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        String urls = Stream.of(replicas).map(app -> "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                .collect(Collectors.joining(","));
        return GatewayMain.start("--ebb.gateway.control-plane-url=" + urls,
                "--ebb.gateway.token=" + token.json().get("value").asString(), "--ebb.gateway.host=127.0.0.1",
                "--ebb.gateway.port=0", "--ebb.gateway.public-port=0", "--ebb.gateway.max-backoff=200ms",
                "--ebb.data-dir=" + gatewayData);
    }

    /** Whether the replica's own runtime runs a ready instance of the service's first revision. */
    private boolean ready(ConfigurableApplicationContext app) {
        return http(app).get(path(ns, "hello") + "/revisions/hello-00001").json().at("/status/instances/ready").asInt() == 1;
    }
}
