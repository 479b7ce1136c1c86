package dev.ebb.bench;

import static dev.ebb.support.Services.path;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.routing.RoutingPublisher;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import dev.ebb.support.TinyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * How long a rollout step's decision takes to reach the gateways: from the instant the engine decided a step (the
 * step's {@code endedAt}) to the first routing snapshot with the new split, as the in-process gateway receives it. The
 * baseline, in the same run: a person's traffic change, from sending {@code PUT .../traffic} to the first snapshot with
 * it. Run with {@code mvn -pl backend test -Dtest=RolloutBench -Dsurefire.failIfNoSpecifiedTests=false}; writes
 * {@code bench/rollout/RESULTS.md}. Not a test: it asserts nothing and surefire's default pattern never picks it.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"ebb.runtime.enabled=true",
        "logging.level.dev.ebb=WARN", "logging.level.ebb.gateway.access=OFF"})
class RolloutBench extends ApiTest {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final Duration SLOW = Duration.ofSeconds(120);
    private static final List<Integer> STEPS = IntStream.rangeClosed(1, 20).map(i -> i * 5).boxed().toList();

    @Autowired
    RoutingPublisher routing;

    private final String ns = Services.freshNamespace();
    /** "service revision percent" to the instant a snapshot first had that target. */
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    @Test
    void run() throws Exception {
        routing.subscribe(this::observe);
        Http http = http();
        String steps = STEPS.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String canary = "{\"strategy\": \"canary\", \"steps\": [" + steps + "], \"interval\": \"1s\"}";
        List<Double> decided = new ArrayList<>();
        List<Double> changed = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String name = "r" + round;
            http.post(path(ns), "{\"name\": \"" + name + "\", \"rollout\": " + canary + ", \"template\": "
                    + TinyServer.template("\"env\": {\"V\": \"1\"}") + "}");
            await().atMost(SLOW).until(() -> http.get(path(ns, name) + "/rollout").json().path("state").asString("").equals("succeeded"));
            http.put(path(ns, name), "{\"name\": \"" + name + "\", \"rollout\": " + canary + ", \"template\": "
                    + TinyServer.template("\"env\": {\"V\": \"2\"}") + "}");
            String candidate = name + "-00002";
            JsonNode done = await().atMost(SLOW).until(() -> http.get(path(ns, name) + "/rollout").json(),
                    r -> r.path("revision").asString().equals(candidate) && r.path("state").asString().equals("succeeded"));
            JsonNode taken = done.path("steps");
            for (int i = 0; i < taken.size(); i++) {
                int next = i + 1 < STEPS.size() ? STEPS.get(i + 1) : 100;
                Instant decision = Instant.parse(taken.get(i).path("endedAt").asString());
                Instant applied = await().atMost(SLOW).until(() -> seen.get(name + " " + candidate + " " + next), a -> a != null);
                decided.add(Duration.between(decision, applied).toNanos() / 1e6);
            }
            // Baseline: the same moves of the same service made by hand.
            String stable = name + "-00001";
            String tag = "t" + round;
            for (int percent : STEPS) {
                String body = "{\"traffic\": [{\"revision\": \"" + stable + "\", \"percent\": " + (100 - percent) + "}, "
                        + "{\"revision\": \"" + candidate + "\", \"percent\": " + percent + ", \"tag\": \"" + tag + "\"}]}";
                Instant sent = Instant.now();
                http.put(path(ns, name) + "/traffic", body);
                Instant applied = await().atMost(SLOW).until(() -> seen.get(name + " " + candidate + " " + percent + " " + tag),
                        a -> a != null);
                changed.add(Duration.between(sent, applied).toNanos() / 1e6);
            }
        }
        write(decided, changed);
    }

    private void observe(RoutingSnapshot snapshot) {
        Instant now = Instant.now();
        for (RoutingSnapshot.Service service : snapshot.services()) {
            if (!service.namespace().equals(ns)) {
                continue;
            }
            for (RoutingSnapshot.Target target : service.targets()) {
                String key = service.name() + " " + target.revision() + " " + target.percent()
                        + (target.tag() == null || target.tag().equals("candidate") ? "" : " " + target.tag());
                seen.putIfAbsent(key, now);
            }
        }
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    private static void write(List<Double> decided, List<Double> changed) throws Exception {
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String report = String.format(Locale.ROOT, """
                # Rollout step to gateway

                Run %s on %d cores, load average at the end %s; %d rollouts of %d steps each (canary, 1 s apart, the
                in-process gateway), and as the baseline the same %d moves of each service's traffic by `PUT .../traffic`.
                Command: `mvn -pl backend test -Dtest=RolloutBench -Dsurefire.failIfNoSpecifiedTests=false`.

                | figure | n | p50 | p95 | max | p50 against the baseline |
                |---|---|---|---|---|---|
                | step decided (engine's instant) to the gateway's snapshot with the new split | %d | %.2f ms | %.2f ms | %.2f ms | %.2f x |
                | baseline: `PUT .../traffic` sent to the gateway's snapshot with the new split | %d | %.2f ms | %.2f ms | %.2f ms | 1 x |
                """, Instant.now(), Runtime.getRuntime().availableProcessors(), load, ROUNDS, STEPS.size(), STEPS.size(),
                decided.size(), percentile(decided, 50), percentile(decided, 95), percentile(decided, 100),
                percentile(decided, 50) / percentile(changed, 50),
                changed.size(), percentile(changed, 50), percentile(changed, 95), percentile(changed, 100));
        Files.writeString(Path.of("../bench/rollout/RESULTS.md"), report);
        System.out.println(report);
    }
}
