package dev.ebb.example.modelserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the packaged fat jar as Ebb does: a child process configured by its environment. */
@Timeout(90)
class ModelServerJarIT {

  private static final Path JAR = Path.of("target", "model-server.jar");
  private static final Pattern LISTENING =
      Pattern.compile("model-server listening on 127\\.0\\.0\\.1:(\\d+) protocol=http1 startup_delay_ms=0");

  @Test
  @DisplayName("the fat jar starts from its environment, serves a predict, and exits 0 on SIGTERM")
  void fatJarServesAndExitsZeroOnSigterm() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "no " + JAR.toAbsolutePath() + ": run mvn package first");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString()).redirectErrorStream(true);
    builder.environment().put("PORT", "0");
    builder.environment().put("EBB_REVISION", "jar-revision");
    builder.environment().remove("EBB_INSTANCE");
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.add(line);
        }
      } catch (java.io.IOException e) {
        // The process ended.
      }
    }, "model-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int port = await().atMost(Duration.ofSeconds(30)).until(() -> listeningPort(output), Optional::isPresent)
          .orElseThrow();

      HttpResponse<String> health = Http.get(port, "/healthz");
      assertEquals(200, health.statusCode());
      HttpResponse<String> predict = Http.post(port, "/v1/models/sklearn:predict", "{\"instances\": [[1, 2, 3]]}");
      assertEquals(200, predict.statusCode(), predict.body());
      JsonObject body = JsonParser.parseString(predict.body()).getAsJsonObject();
      assertEquals("jar-revision", body.get("revision").getAsString());
      assertTrue(body.get("instance").getAsString().endsWith(":" + port), body.toString());

      // SIGTERM. Process.destroy() would also close our end of the child's stdout and lose its last lines.
      assertTrue(process.toHandle().destroy(), "SIGTERM sent");
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process exits after SIGTERM");
      assertEquals(0, process.exitValue(), "exit code after SIGTERM; output: " + output);
      reader.join(TimeUnit.SECONDS.toMillis(5));
      assertTrue(output.stream().anyMatch(line -> line.startsWith("request protocol=http1 method=POST path=/v1/models/sklearn:predict status=200")),
          "one log line per request: " + output);
      assertEquals("model-server stopped", output.get(output.size() - 1));
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Optional<Integer> listeningPort(List<String> output) {
    for (String line : output) {
      Matcher m = LISTENING.matcher(line);
      if (m.matches()) {
        return Optional.of(Integer.parseInt(m.group(1)));
      }
    }
    return Optional.empty();
  }
}
