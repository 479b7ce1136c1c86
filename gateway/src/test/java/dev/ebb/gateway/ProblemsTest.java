package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.problem.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ProblemsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final RevisionRoute revision = new RevisionRoute("ml", "llm", "llm-00001", RoutingSnapshot.Protocol.HTTP1, 0, 0, true,
            List.of());

    @Test
    void aQueueFullRefusalIsTheProblemDocumentWithTheRequestsOwnId() {
        for (String requestId : List.of("a", "caller.chosen_id:42-x", Forwarder.requestId(null))) {
            Problem problem = JSON.readValue(Problems.queueFull(revision, requestId).getBytes(), Problem.class);

            assertThat(problem).isEqualTo(new Problem("urn:ebb:problem:queue-full", "Service Unavailable", 503,
                    "Service ml/llm has too many requests waiting for revision llm-00001; retry shortly.", null, null, requestId));
        }
    }

    @Test
    void aNoReadyInstanceRefusalIsTheProblemDocumentWithTheRequestsOwnId() {
        Problem problem = JSON.readValue(Problems.noReadyInstance(revision, "req-1").getBytes(), Problem.class);

        assertThat(problem).isEqualTo(new Problem("urn:ebb:problem:no-ready-instance", "Service Unavailable", 503,
                "Service ml/llm has no ready instance of revision llm-00001 yet; retry shortly.", null, null, "req-1"));
    }

    @Test
    void refusalsOfOneRevisionShareOneRenderingButNotTheirBodies() {
        assertThat(revision.refusals()).isSameAs(revision.refusals());
        assertThat(Problems.queueFull(revision, "one").toString()).contains("\"requestId\":\"one\"").doesNotContain("\"requestId\":\"two\"");
        assertThat(Problems.queueFull(revision, "two").toString()).contains("\"requestId\":\"two\"").doesNotContain("\"requestId\":\"one\"");
    }
}
