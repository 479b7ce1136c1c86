package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogTest {

    private static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ebb\\.gateway\\.access"
            + " requestId=(\\w+)-(\\d+) host=h:80 method=GET path=/p status=200 revision=- instance=- durationMs=1 bytes=2");
    private static final Pattern DROPPED = Pattern.compile(" ebb\\.gateway\\.access dropped=(\\d+) \\(queue full\\)$");

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Test
    void linesFromTwoEventLoopsArriveWholeAndUnmixed() throws Exception {
        int perLoop = 50_000;
        // Room for every line: this test is about whole, ordered lines, not about a writer that falls behind (a busy
        // machine's writer can, and the default capacity then drops lines, as it should).
        AccessLog accessLog = AccessLog.start(written, 64 << 20);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> log(accessLog.loop(), "a", perLoop));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> log(accessLog.loop(), "b", perLoop));
        CompletableFuture.allOf(a, b).get(30, TimeUnit.SECONDS);
        accessLog.close();

        List<Integer> fromA = new ArrayList<>();
        List<Integer> fromB = new ArrayList<>();
        text().lines().forEach(line -> {
            Matcher matcher = LINE.matcher(line);
            assertThat(matcher.matches()).as(line).isTrue();
            (matcher.group(1).equals("a") ? fromA : fromB).add(Integer.parseInt(matcher.group(2)));
        });
        assertThat(fromA).hasSize(perLoop).isSorted();
        assertThat(fromB).hasSize(perLoop).isSorted();
    }

    @Test
    void aStalledOutputDropsAndCountsLinesInsteadOfBlocking() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AccessLog accessLog = AccessLog.start(stalledUntil(writing, release), 1024);
        AccessLog.Loop loop = accessLog.loop();
        log(loop, "first", 1);
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> logging = CompletableFuture.runAsync(() -> log(loop, "more", 100));
        await().atMost(Duration.ofSeconds(5)).until(logging::isDone);
        release.countDown();
        accessLog.close();

        List<String> lines = text().lines().toList();
        Matcher dropped = DROPPED.matcher(lines.get(lines.size() - 1));
        assertThat(dropped.find()).as(lines.get(lines.size() - 1)).isTrue();
        long kept = lines.stream().filter(line -> line.contains("requestId=more-")).count();
        assertThat(Long.parseLong(dropped.group(1))).isPositive().isEqualTo(100 - kept);
        assertThat(lines).hasSize(1 + (int) kept + 1).first().asString().contains("requestId=first-0");
    }

    @Test
    void closingWritesEveryLineStillWaiting() {
        AccessLog accessLog = AccessLog.start(written, AccessLog.DEFAULT_CAPACITY);
        log(accessLog.loop(), "last", 500);

        accessLog.close();

        assertThat(text().lines()).hasSize(500).last().asString().contains("requestId=last-499 ");
    }

    @Test
    void theLoggersLevelSwitchesTheAccessLog() {
        Logger logger = (Logger) LoggerFactory.getLogger("ebb.gateway.access");
        Level level = logger.getLevel();
        try {
            logger.setLevel(Level.OFF);
            assertThat(AccessLog.enabled()).isFalse();
            logger.setLevel(Level.INFO);
            assertThat(AccessLog.enabled()).isTrue();
        } finally {
            logger.setLevel(level);
        }
    }

    private static void log(AccessLog.Loop loop, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            loop.request(prefix + "-" + i, "h", 80, "GET", "/p", 200, null, null, 1, 2);
        }
    }

    /** Blocks the first write until released, as a full pipe would. */
    private OutputStream stalledUntil(CountDownLatch writing, CountDownLatch release) {
        return new OutputStream() {
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
    }

    private String text() {
        return written.toString(StandardCharsets.UTF_8);
    }
}
