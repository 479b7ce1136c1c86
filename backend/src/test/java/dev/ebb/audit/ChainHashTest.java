package dev.ebb.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChainHashTest {

    private static final String PREVIOUS = "5e".repeat(32);

    private static EventContent update() {
        return new EventContent(17, Instant.parse("2026-11-26T10:15:30.120Z"), "token:ci", "token:ci", "service.update", "ml",
                "sentiment", "namespaces/ml/services/sentiment", "{\"labels\": {}}", "{\"name\":\"café\"}", null, "127.0.0.1", "",
                "promotion ✓");
    }

    private static EventContent withNamespaceAndService(String namespace, String service) {
        EventContent e = update();
        return new EventContent(e.id(), e.occurredAt(), e.actor(), e.credential(), e.action(), namespace, service, e.target(),
                e.before(), e.after(), e.requestId(), e.sourceAddress(), e.userAgent(), e.changeCause());
    }

    private static EventContent withUserAgent(String userAgent) {
        EventContent e = update();
        return new EventContent(e.id(), e.occurredAt(), e.actor(), e.credential(), e.action(), e.namespace(), e.service(),
                e.target(), e.before(), e.after(), e.requestId(), e.sourceAddress(), userAgent, e.changeCause());
    }

    @Test
    void anEventEncodesAsNetstringsOfItsFieldsInTheDocumentedOrder() {
        String encoded = new String(ChainHash.encode(update(), PREVIOUS), StandardCharsets.UTF_8);

        assertThat(encoded).isEqualTo("12:ebb-audit-v1,2:17,27:2026-11-26T10:15:30.120000Z,8:token:ci,8:token:ci,"
                + "14:service.update,2:ml,9:sentiment,32:namespaces/ml/services/sentiment,14:{\"labels\": {}},"
                + "16:{\"name\":\"café\"},-,9:127.0.0.1,0:,13:promotion ✓,64:" + PREVIOUS + ",");
    }

    @Test
    void theHashMatchesOneComputedIndependently() {
        // Computed with Python's hashlib over the encoding above, written out by hand.
        assertThat(ChainHash.hash(update(), PREVIOUS)).isEqualTo("5e1dcef08586573299f38381201dbd118fa62d4f75863d2752a2a31035e79d4e");
    }

    @Test
    void aMissingValueAndAnEmptyOneHashDifferently() {
        assertThat(ChainHash.hash(withUserAgent(null), PREVIOUS)).isNotEqualTo(ChainHash.hash(withUserAgent(""), PREVIOUS));
    }

    @Test
    void movingCharactersFromOneFieldToTheNextChangesTheHash() {
        assertThat(ChainHash.hash(withNamespaceAndService("ab", "c"), PREVIOUS))
                .isNotEqualTo(ChainHash.hash(withNamespaceAndService("a", "bc"), PREVIOUS));
    }

    @Test
    void theHashCoversTheLinkToThePreviousEvent() {
        assertThat(ChainHash.hash(update(), PREVIOUS)).isNotEqualTo(ChainHash.hash(update(), "5f".repeat(32)))
                .isNotEqualTo(ChainHash.hash(update(), null));
    }

    @Test
    void timesAreWrittenWithAllSixFractionalDigitsInUtc() {
        EventContent onTheSecond = new EventContent(1, Instant.parse("2026-01-02T03:04:05Z"), "a", null, "x", null, null, "t",
                null, null, null, null, null, null);

        assertThat(new String(ChainHash.encode(onTheSecond, null), StandardCharsets.UTF_8))
                .contains("27:2026-01-02T03:04:05.000000Z,");
    }

    @Test
    void timesAreKeptToTheMicrosecondThatPostgresqlStores() {
        Instant withNanos = Instant.parse("2026-11-26T10:15:30.123456789Z");
        EventContent e = update();

        assertThat(ChainHash.storedPrecision(withNanos)).isEqualTo(Instant.parse("2026-11-26T10:15:30.123456Z"));
        assertThatThrownBy(() -> ChainHash.encode(new EventContent(e.id(), withNanos, e.actor(), e.credential(), e.action(),
                e.namespace(), e.service(), e.target(), e.before(), e.after(), e.requestId(), e.sourceAddress(), e.userAgent(),
                e.changeCause()), null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storedPrecision");
    }
}
