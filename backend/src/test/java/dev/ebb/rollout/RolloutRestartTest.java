package dev.ebb.rollout;

import static dev.ebb.support.ModelServer.service;
import static dev.ebb.support.Services.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.EbbApplication;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import dev.ebb.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A control plane stopped in the middle of a rollout, and another started on the same database, which resumes it. */
class RolloutRestartTest {

    private static final Duration SLOW = Duration.ofSeconds(90);

    @TempDir
    Path first;
    @TempDir
    Path second;

    private final TestDatabase.Coordinates db = TestDatabase.fresh();
    private final String ns = Services.freshNamespace();
    private ConfigurableApplicationContext app;

    private ConfigurableApplicationContext controlPlane(Path dataDir) {
        return new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0", "--ebb.data-dir=" + dataDir,
                "--ebb.database.url=" + db.url(), "--ebb.database.username=" + db.username(),
                "--ebb.database.password=" + db.password(), "--ebb.bootstrap-token=" + ApiTest.TOKEN);
    }

    private Http http() {
        return new Http("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), ApiTest.TOKEN);
    }

    private JsonNode rollout() {
        return http().get(path(ns, "resume") + "/rollout").json();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aRolloutInterruptedByARestartResumesAtItsStepAndCompletes() {
        String canary = "{\"strategy\": \"canary\", \"steps\": [30, 100], \"interval\": \"15s\"}";
        app = controlPlane(first);
        assertThat(http().post(path(ns), service("resume", "0", canary)).status()).isEqualTo(201);
        await().atMost(SLOW).until(this::rollout, r -> r.path("state").asString("").equals("succeeded"));
        assertThat(http().put(path(ns, "resume"), service("resume", "0.0", canary)).status()).isEqualTo(200);
        await().atMost(SLOW).until(this::rollout, r -> r.path("revision").asString().equals("resume-00002")
                && r.path("percent").asInt() == 30);

        app.close();
        app = controlPlane(second);

        JsonNode resumed = rollout();
        assertThat(resumed.path("revision").asString()).isEqualTo("resume-00002");
        assertThat(resumed.path("state").asString()).isEqualTo("progressing");
        assertThat(resumed.path("step").asInt()).isEqualTo(1);
        assertThat(resumed.path("percent").asInt()).isEqualTo(30);
        JsonNode done = await().atMost(SLOW).until(this::rollout, r -> r.path("state").asString().equals("succeeded")
                && r.path("revision").asString().equals("resume-00002"));
        assertThat(done.path("steps").findValuesAsString("percent")).containsExactly("30");
        assertThat(http().get("/api/v1/audit?namespace=" + ns + "&action=rollout.start").json().path("items"))
                .as("resumed, not started again").hasSize(1);
    }
}
