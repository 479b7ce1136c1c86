package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLineFormatTest {

    private static final long AT = Instant.parse("2026-11-26T14:04:18.231Z").toEpochMilli();

    private final AccessLineFormat format = new AccessLineFormat();
    private final LineBytes lines = new LineBytes(16);

    @Test
    void aRequestLineHasTheTimestampTheLoggerNameAndEveryField() {
        format.request(lines, AT, "log-line-1", "hello.ml.svc.cluster.local", 8081, "GET", "/healthz", 200, "hello-00001",
                "hello-00001-1", 3, 11);

        assertThat(text()).isEqualTo("2026-11-26T14:04:18.231Z ebb.gateway.access requestId=log-line-1"
                + " host=hello.ml.svc.cluster.local:8081 method=GET path=/healthz status=200 revision=hello-00001"
                + " instance=hello-00001-1 durationMs=3 bytes=11\n");
    }

    @Test
    void whatDoesNotApplyIsADash() {
        format.request(lines, AT, "r", null, -1, "GET", "", 404, null, "", 0, 0);

        assertThat(text()).endsWith("requestId=r host=- method=GET path=- status=404 revision=- instance=- durationMs=0 bytes=0\n");
    }

    @Test
    void aHostWithoutAPortIsWrittenWithoutOne() {
        format.request(lines, AT, "r", "example.com", -1, "GET", "/", 200, null, null, 0, 0);

        assertThat(text()).contains(" host=example.com method=");
    }

    @Test
    void millisecondsAreThreeDigitsAndANewSecondGetsItsOwnPrefix() {
        format.request(lines, Instant.parse("2026-11-26T14:04:18.005Z").toEpochMilli(), "a", null, -1, "GET", "/", 200, null, null, 0, 0);
        format.request(lines, Instant.parse("2026-11-26T14:04:18.070Z").toEpochMilli(), "b", null, -1, "GET", "/", 200, null, null, 0, 0);
        format.request(lines, Instant.parse("2026-11-26T14:04:19.000Z").toEpochMilli(), "c", null, -1, "GET", "/", 200, null, null, 0, 0);
        format.request(lines, Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli(), "d", null, -1, "GET", "/", 200, null, null, 0, 0);

        assertThat(text().lines()).extracting(line -> line.substring(0, line.indexOf(' ')))
                .containsExactly("2026-11-26T14:04:18.005Z", "2026-11-26T14:04:18.070Z", "2026-11-26T14:04:19.000Z",
                        "2026-12-31T23:59:59.999Z");
    }

    @Test
    void aCraftedHostOrPathCannotForgeALineOrAField() {
        format.request(lines, AT, "r", "evil\n2026-11-26T00:00:00.000Z ebb.gateway.access requestId=forged", 80, "GET",
                "/a status=500 \"q\"\\\r\t", 200, null, null, 0, 0);

        assertThat(text()).isEqualTo("2026-11-26T14:04:18.231Z ebb.gateway.access requestId=r"
                + " host=evil\\x0A2026-11-26T00:00:00.000Z\\x20ebb.gateway.access\\x20requestId=forged:80"
                + " method=GET path=/a\\x20status=500\\x20\\x22q\\x22\\x5C\\x0D\\x09 status=200 revision=- instance=-"
                + " durationMs=0 bytes=0\n");
    }

    @Test
    void anythingOutsideAsciiIsWrittenAsItsUtf8BytesEscaped() {
        format.request(lines, AT, "r", "b\u00fccher.example", -1, "GET", "/\u20ac/\uD83D\uDE00/\uD800/\u007F", 200, null, null, 0, 0);

        assertThat(text()).contains(" host=b\\xC3\\xBCcher.example ",
                " path=/\\xE2\\x82\\xAC/\\xF0\\x9F\\x98\\x80/\\xEF\\xBF\\xBD/\\x7F ");
        assertThat(text()).matches("[\\x20-\\x7E]*\n");
    }

    @Test
    void aLongPathGrowsTheBufferAndStaysWhole() {
        String path = "/" + "segment/".repeat(2_000) + "\u00e9".repeat(1_000);

        format.request(lines, AT, "r", "h", -1, "GET", path, 200, null, null, 0, Long.MAX_VALUE);

        assertThat(text()).contains(" path=/" + "segment/".repeat(2_000) + "\\xC3\\xA9".repeat(1_000) + " status=200 ")
                .endsWith(" bytes=" + Long.MAX_VALUE + "\n");
    }

    @Test
    void theDroppedLineSaysHowMany() {
        format.dropped(lines, AT, 1234);

        assertThat(text()).isEqualTo("2026-11-26T14:04:18.231Z ebb.gateway.access dropped=1234 (queue full)\n");
    }

    private String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            lines.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
