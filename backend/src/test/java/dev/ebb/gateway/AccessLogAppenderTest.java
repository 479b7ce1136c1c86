package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccessLogAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Test
    void eachLineGetsATimestampAndTheLoggerName() {
        AccessLogAppender appender = appender(new PrintStream(written, true, StandardCharsets.UTF_8), 16);
        appender.doAppend(event("requestId=a status=200"));
        appender.doAppend(event("requestId=b status=404"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(text().lines())
                .hasSize(2)
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ebb\\.gateway\\.access requestId=. status=\\d+"))
                .anyMatch(line -> line.endsWith("requestId=b status=404")));
        appender.stop();
    }

    @Test
    void linesStillQueuedWhenLoggingStopsAreWritten() {
        AccessLogAppender appender = appender(new PrintStream(written, true, StandardCharsets.UTF_8), 1024);
        for (int i = 0; i < 500; i++) {
            appender.doAppend(event("requestId=" + i));
        }
        appender.stop();
        assertThat(text().lines()).hasSize(500);
    }

    @Test
    void aFullQueueDropsLinesAndSaysHowMany() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(bytes, offset, length);
            }
        };
        AccessLogAppender appender = appender(new PrintStream(stalled, true, StandardCharsets.UTF_8), 1);
        appender.doAppend(event("requestId=first"));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        appender.doAppend(event("requestId=queued"));
        appender.doAppend(event("requestId=lost-1"));
        appender.doAppend(event("requestId=lost-2"));
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(text())
                .contains("requestId=first", "requestId=queued", "ebb.gateway.access dropped=2 (queue full)")
                .doesNotContain("lost-"));
        appender.stop();
    }

    private AccessLogAppender appender(PrintStream out, int queueSize) {
        AccessLogAppender appender = new AccessLogAppender();
        appender.setContext(context);
        appender.setQueueSize(queueSize);
        appender.setOut(out);
        appender.start();
        return appender;
    }

    private LoggingEvent event(String message) {
        return new LoggingEvent(AccessLog.class.getName(), context.getLogger("ebb.gateway.access"), Level.INFO, message, null, null);
    }

    private String text() {
        synchronized (written) {
            return written.toString(StandardCharsets.UTF_8);
        }
    }
}
