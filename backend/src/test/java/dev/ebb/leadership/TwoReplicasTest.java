package dev.ebb.leadership;

import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.EbbApplication;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import dev.ebb.support.TestDatabase;
import dev.ebb.support.TinyServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

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

    private final TestDatabase.Coordinates db = TestDatabase.fresh();
    private final String ns = Services.freshNamespace();
    private ConfigurableApplicationContext leader;
    private ConfigurableApplicationContext follower;

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

        // Created through the follower, run by the leader: they share the database.
        Http.Response created = http(follower).post(path(ns), "{\"name\": \"hello\", \"template\": " + TinyServer.template("") + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(SLOW).until(() -> ready(leader));

        leader.close();
        leader = null;

        await().atMost(Duration.ofSeconds(15)).until(() -> follower.getBean(Leadership.class).leads());
        assertThat(http(follower).get("/internal/v1/routing").status()).isEqualTo(200);
        await().atMost(SLOW).until(() -> ready(follower));
    }

    /** Whether the replica's own runtime runs a ready instance of the service's first revision. */
    private boolean ready(ConfigurableApplicationContext app) {
        return http(app).get(path(ns, "hello") + "/revisions/hello-00001").json().at("/status/instances/ready").asInt() == 1;
    }
}
