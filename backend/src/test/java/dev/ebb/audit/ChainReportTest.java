package dev.ebb.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainReportTest {

    private static EventContent event(long id) {
        return new EventContent(id, Instant.parse("2026-11-26T10:00:00Z").plusSeconds(id), "token:ci", "token:ci",
                "service.update", "ml", "svc-" + id, "namespaces/ml/services/svc-" + id, "{\"n\": " + (id - 1) + "}",
                "{\"n\": " + id + "}", "req-" + id, "127.0.0.1", "curl/8", null);
    }

    /** Events 1..n chained as Ebb writes them, with gaps in the ids as rolled-back transactions leave. */
    private static List<ChainedEvent> chain(int n) {
        List<ChainedEvent> chain = new ArrayList<>();
        String previous = null;
        for (int i = 1; i <= n; i++) {
            EventContent content = event(i * 10L);
            String hash = ChainHash.hash(content, previous);
            chain.add(new ChainedEvent(content, previous, hash));
            previous = hash;
        }
        return chain;
    }

    private static ChainedEvent withAction(ChainedEvent event, String action) {
        EventContent c = event.content();
        return new ChainedEvent(new EventContent(c.id(), c.occurredAt(), c.actor(), c.credential(), action, c.namespace(),
                c.service(), c.target(), c.before(), c.after(), c.requestId(), c.sourceAddress(), c.userAgent(), c.changeCause()),
                event.prevHash(), event.hash());
    }

    @Test
    void anEmptyTrailIsIntact() {
        assertThat(ChainReport.of(List.of())).isEqualTo(new ChainReport("intact", 0, null, null, null));
    }

    @Test
    void aChainAsWrittenIsIntactUpToItsNewestEvent() {
        List<ChainedEvent> chain = chain(5);

        assertThat(ChainReport.of(chain)).isEqualTo(new ChainReport("intact", 5, 50L, chain.get(4).hash(), null));
    }

    @Test
    void anEventWhoseFieldWasChangedIsReportedAsAltered() {
        List<ChainedEvent> chain = chain(5);
        chain.set(2, withAction(chain.get(2), "service.create"));

        ChainReport report = ChainReport.of(chain);

        assertThat(report.status()).isEqualTo("broken");
        assertThat(report.eventsChecked()).isEqualTo(3);
        assertThat(report.lastEventId()).isEqualTo(20L);
        assertThat(report.lastHash()).isEqualTo(chain.get(1).hash());
        assertThat(report.firstMismatch().id()).isEqualTo(30);
        assertThat(report.firstMismatch().problem()).isEqualTo("altered");
        assertThat(report.firstMismatch().reason()).contains("content of event 30 does not match its hash");
    }

    @Test
    void aRemovedEventBreaksTheLinkOfTheOneAfterIt() {
        List<ChainedEvent> chain = chain(5);
        chain.remove(2);

        ChainReport.Mismatch mismatch = ChainReport.of(chain).firstMismatch();

        assertThat(mismatch.id()).isEqualTo(40);
        assertThat(mismatch.problem()).isEqualTo("broken-link");
        assertThat(mismatch.reason()).contains("event before it, 20,").contains("removed or inserted");
    }

    @Test
    void anEventRewrittenTogetherWithItsHashBreaksTheLinkOfTheNextOne() {
        List<ChainedEvent> chain = chain(5);
        ChainedEvent forged = withAction(chain.get(2), "service.create");
        chain.set(2, new ChainedEvent(forged.content(), forged.prevHash(), ChainHash.hash(forged.content(), forged.prevHash())));

        ChainReport.Mismatch mismatch = ChainReport.of(chain).firstMismatch();

        assertThat(mismatch.id()).isEqualTo(40);
        assertThat(mismatch.problem()).isEqualTo("broken-link");
    }

    @Test
    void removingTheOldestEventsLeavesAnOldestEventThatLinksToNothingStored() {
        List<ChainedEvent> chain = chain(5);
        chain.subList(0, 2).clear();

        ChainReport report = ChainReport.of(chain);

        assertThat(report.eventsChecked()).isEqualTo(1);
        assertThat(report.lastEventId()).isNull();
        assertThat(report.firstMismatch().id()).isEqualTo(30);
        assertThat(report.firstMismatch().problem()).isEqualTo("broken-link");
        assertThat(report.firstMismatch().reason()).contains("oldest event").contains("before it were removed");
    }

    @Test
    void anEventInsertedWithoutALinkBreaksTheChain() {
        List<ChainedEvent> chain = chain(3);
        EventContent inserted = event(25);
        chain.add(2, new ChainedEvent(inserted, null, ChainHash.hash(inserted, null)));

        ChainReport.Mismatch mismatch = ChainReport.of(chain).firstMismatch();

        assertThat(mismatch.id()).isEqualTo(25);
        assertThat(mismatch.problem()).isEqualTo("broken-link");
    }

    @Test
    void anEventWithoutAHashIsReportedAsMissingOne() {
        List<ChainedEvent> chain = chain(3);
        chain.set(1, new ChainedEvent(chain.get(1).content(), chain.get(1).prevHash(), ""));

        ChainReport.Mismatch mismatch = ChainReport.of(chain).firstMismatch();

        assertThat(mismatch.id()).isEqualTo(20);
        assertThat(mismatch.problem()).isEqualTo("missing-hash");
    }

    @Test
    void onlyTheFirstMismatchIsReportedAndNothingAfterItIsCounted() {
        List<ChainedEvent> chain = chain(5);
        chain.set(1, withAction(chain.get(1), "x"));
        chain.set(3, withAction(chain.get(3), "y"));

        ChainReport report = ChainReport.of(chain);

        assertThat(report.firstMismatch().id()).isEqualTo(20);
        assertThat(report.eventsChecked()).isEqualTo(2);
    }
}
