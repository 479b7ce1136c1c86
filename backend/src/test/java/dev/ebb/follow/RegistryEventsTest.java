package dev.ebb.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ebb.problem.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryEventsTest {

    private static final String DIGEST = "sha256:" + "c".repeat(64);

    private static List<Push> parse(String body) {
        return RegistryEvents.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String refused(String body) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> parse(body));
        assertThat(e).as("refused: " + body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e.getMessage();
    }

    /** An envelope as Distribution 2.8 posts it, with the fields it adds beyond those read. */
    static String distribution(String id, String timestamp, String action, String tag, String digest) {
        return """
                {"events": [{"id": "%s", "timestamp": "%s", "action": "%s",
                  "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 528, "digest": "%s",
                    "length": 528, "repository": "acme/model", "url": "http://127.0.0.1:5000/v2/acme/model/manifests/%s"%s},
                  "request": {"id": "r1", "addr": "127.0.0.1:4242", "host": "127.0.0.1:5000", "method": "PUT",
                    "useragent": "skopeo/1.9.3"},
                  "actor": {}, "source": {"addr": "host:5000", "instanceID": "x"}}]}"""
                .formatted(id, timestamp, action, digest, digest, tag == null ? "" : ", \"tag\": \"" + tag + "\"");
    }

    @Test
    void aDistributionPushOfATagIsReadWithItsHostIdAndTime() {
        assertThat(parse(distribution("e1", "2025-03-09T14:44:26.402973972-08:00", "push", "stable", DIGEST)))
                .containsExactly(new Push("e1", Instant.parse("2025-03-09T22:44:26.402973972Z"), "127.0.0.1:5000",
                        "acme/model", "stable", DIGEST));
    }

    @Test
    void pullsAndPushesByDigestAloneAreSkipped() {
        assertThat(parse(distribution("e1", "2025-03-09T14:44:26Z", "pull", "stable", DIGEST))).isEmpty();
        assertThat(parse(distribution("e1", "2025-03-09T14:44:26Z", "push", null, DIGEST))).isEmpty();
        assertThat(parse("{\"events\": []}")).isEmpty();
    }

    @Test
    void withoutARequestHostTheTargetUrlNamesTheRegistry() {
        String body = """
                {"events": [{"id": "e2", "action": "push", "target": {"digest": "%s", "repository": "acme/model",
                  "tag": "1.0", "url": "https://registry.example.com/v2/acme/model/manifests/%s"}}]}"""
                .formatted(DIGEST, DIGEST);
        assertThat(parse(body)).singleElement().satisfies(push -> {
            assertThat(push.host()).isEqualTo("registry.example.com");
            assertThat(push.at()).isNull();
        });
    }

    @Test
    void aHarborPushIsReadWithTheRegistryOfItsResourceUrl() {
        String body = """
                {"type": "PUSH_ARTIFACT", "occur_at": 1741560266, "operator": "robot$ci",
                 "event_data": {"resources": [{"digest": "%s", "tag": "stable",
                   "resource_url": "harbor.example.com/acme/model:stable"}],
                   "repository": {"date_created": 1741500000, "name": "model", "namespace": "acme",
                     "repo_full_name": "acme/model", "repo_type": "private"}, "custom_attributes": {}}}"""
                .formatted(DIGEST);
        assertThat(parse(body)).containsExactly(new Push("harbor:acme/model:stable@1741560266",
                Instant.ofEpochSecond(1741560266), "harbor.example.com", "acme/model", "stable", DIGEST));
    }

    @Test
    void otherHarborEventsAreSkipped() {
        assertThat(parse("{\"type\": \"PULL_ARTIFACT\", \"occur_at\": 1, \"event_data\": {}}")).isEmpty();
    }

    @Test
    void aMalformedBodySaysWhatIsWrong() {
        assertThat(refused("{\"events\": [")).startsWith("the body is not JSON (malformed at line 1");
        assertThat(refused("[]")).startsWith("the body must be a JSON object");
        assertThat(refused("{\"hello\": 1}")).contains("neither a Docker Distribution notification envelope");
        assertThat(refused("{\"events\": {}}")).isEqualTo("events: must be an array of events");
        assertThat(refused("{\"events\": [{\"id\": \"e\", \"action\": \"push\", \"target\": {\"tag\": \"1\", "
                + "\"digest\": \"" + DIGEST + "\"}}]}")).isEqualTo("events[0].target.repository: is missing");
        assertThat(refused(distribution("e", "yesterday", "push", "1", DIGEST)))
                .isEqualTo("events[0].timestamp: 'yesterday' is not an RFC 3339 time");
        assertThat(refused(distribution("e", "2025-03-09T14:44:26Z", "push", "1", "c0ffee")))
                .isEqualTo("events[0].target.digest: 'c0ffee' is not a digest such as sha256:<hex>");
        assertThat(refused("{\"type\": \"PUSH_ARTIFACT\", \"event_data\": {\"resources\": []}}"))
                .isEqualTo("event_data.repository: is missing: a push names its repository");
    }
}
