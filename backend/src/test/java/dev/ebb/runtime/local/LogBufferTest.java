package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogBufferTest {

    private final Instant t = Instant.parse("2026-12-02T10:00:00Z");
    private int second;

    private LogBuffer.Line line(String instance, String text) {
        return new LogBuffer.Line(t.plusSeconds(second++), instance, text);
    }

    @Test
    void eachInstanceKeepsItsOwnLastLinesSoAChattyOneCannotPushAQuietOneOut() {
        LogBuffer logs = new LogBuffer(3);
        logs.started(line("a", "[ebb] started"));
        logs.append(line("a", "quiet but important"));
        for (int i = 0; i < 10; i++) {
            logs.append(line("b", "chatter " + i));
        }

        assertThat(logs.tail(100, new LogBuffer.Selection("a", false))).extracting(LogBuffer.Line::text)
                .containsExactly("[ebb] started", "quiet but important");
        assertThat(logs.tail(100)).extracting(LogBuffer.Line::text)
                .containsExactly("[ebb] started", "quiet but important", "chatter 7", "chatter 8", "chatter 9");
        assertThat(logs.tail(2)).extracting(LogBuffer.Line::text).containsExactly("chatter 8", "chatter 9");
    }

    @Test
    void previousReadsTheRunBeforeTheCurrentOneOfEachInstance() {
        LogBuffer logs = new LogBuffer(100);
        logs.started(line("a", "[ebb] started"));
        logs.append(line("a", "first run"));
        logs.started(line("a", "[ebb] restart 1"));
        logs.append(line("a", "second run"));
        logs.started(line("a", "[ebb] restart 2"));
        logs.append(line("a", "third run"));
        logs.started(line("b", "[ebb] started"));
        logs.append(line("b", "never restarted"));

        assertThat(logs.tail(100, new LogBuffer.Selection(null, true))).extracting(LogBuffer.Line::text)
                .containsExactly("[ebb] restart 1", "second run");
        assertThat(logs.tail(100, new LogBuffer.Selection("b", true))).isEmpty();
        assertThat(logs.tail(100, new LogBuffer.Selection("a", false))).as("across restarts, each start marked")
                .extracting(LogBuffer.Line::text).containsExactly("[ebb] started", "first run", "[ebb] restart 1", "second run",
                        "[ebb] restart 2", "third run");
    }

    @Test
    void theInstanceQuietLongestIsForgottenOnceTooManyHavePrinted() {
        LogBuffer logs = new LogBuffer(10);
        for (int i = 0; i <= LogBuffer.MAX_INSTANCES; i++) {
            logs.append(line("i" + i, "hello"));
        }
        assertThat(logs.tail(1000)).hasSize(LogBuffer.MAX_INSTANCES).extracting(LogBuffer.Line::instance).doesNotContain("i0");
    }
}
