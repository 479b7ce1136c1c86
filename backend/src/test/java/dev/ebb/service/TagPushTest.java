package dev.ebb.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.revision.RevisionStore;
import dev.ebb.service.TagPush.Outcome;
import dev.ebb.spec.Template;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagPushTest {

    private static final String IMAGE = "registry.example.com/acme/model:stable";
    private static final String OLD = "registry.example.com/acme/model@sha256:" + "a".repeat(64);
    private static final String NEW = "registry.example.com/acme/model@sha256:" + "b".repeat(64);
    private static final Instant T1 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2025-01-01T10:05:00Z");

    private static Template template(String image, String policy) {
        return new Template(image, null, null, null, null, null, null, null, null, null, null, null, policy);
    }

    private static RevisionStore.Followed running(Map<String, String> images, Instant latestEventAt) {
        return new RevisionStore.Followed(images, latestEventAt);
    }

    @Test
    void aNewDigestOfTheFollowedTagMakesTheNextRevision() {
        TagPush.Decision decision = TagPush.decide(template(IMAGE, "follow-tag"), IMAGE, NEW,
                running(Map.of("m-00001", OLD), null), T1, "m-00002");

        assertThat(decision).isEqualTo(new TagPush.Decision(Outcome.CREATED, "m-00002"));
    }

    @Test
    void aDigestARevisionRunsAlreadyMakesNothingAndNamesTheNewestThatRunsIt() {
        TagPush.Decision decision = TagPush.decide(template(IMAGE, "follow-tag"), IMAGE, NEW,
                running(Map.of("m-00001", NEW, "m-00002", OLD, "m-00003", NEW), T2), T2, "m-00004");

        assertThat(decision).isEqualTo(new TagPush.Decision(Outcome.KNOWN_DIGEST, "m-00003"));
    }

    @Test
    void anEventOlderThanTheOneThatMadeTheLatestRevisionMakesNothing() {
        TagPush.Decision decision = TagPush.decide(template(IMAGE, "follow-tag"), IMAGE, NEW,
                running(Map.of("m-00002", OLD), T2), T1, "m-00003");

        assertThat(decision.outcome()).isEqualTo(Outcome.OLDER_EVENT);
    }

    @Test
    void anEventAtTheSameSecondAsTheLatestStillCounts() {
        // Harbor's occur_at has whole seconds: two pushes in one second are both new.
        assertThat(TagPush.decide(template(IMAGE, "follow-tag"), IMAGE, NEW, running(Map.of("m-00002", OLD), T2), T2,
                "m-00003").outcome()).isEqualTo(Outcome.CREATED);
    }

    @Test
    void aServiceWhoseTemplateChangedSinceTheMatchOrThatStoppedFollowingIsLeftAlone() {
        RevisionStore.Followed followed = running(Map.of("m-00001", OLD), null);
        assertThat(TagPush.decide(template(IMAGE.replace("stable", "canary"), "follow-tag"), IMAGE, NEW, followed, T1, "m-00002")
                .outcome()).isEqualTo(Outcome.NOT_FOLLOWED);
        assertThat(TagPush.decide(template(IMAGE, null), IMAGE, NEW, followed, T1, "m-00002").outcome())
                .isEqualTo(Outcome.NOT_FOLLOWED);
        assertThat(TagPush.decide(null, IMAGE, NEW, followed, T1, "m-00002").outcome()).isEqualTo(Outcome.NOT_FOLLOWED);
    }

    @Test
    void thePollWithoutAnEventTimeIsJudgedByTheDigestAlone() {
        assertThat(TagPush.decide(template(IMAGE, "follow-tag"), IMAGE, NEW, running(Map.of("m-00001", OLD), T2), null,
                "m-00002").outcome()).isEqualTo(Outcome.CREATED);
    }
}
