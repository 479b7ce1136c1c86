package dev.ebb.example.modelserver;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/** The predict and generate logic both protocols share, with the LATENCY_MS and ERROR_RATE knobs. */
final class Predictions {

  static final int DEFAULT_TOKENS = 16;
  static final int MAX_TOKENS = 10_000;

  private final ServerConfig config;
  private final String instance;

  Predictions(ServerConfig config, String instance) {
    this.config = config;
    this.instance = instance;
  }

  /** The KServe v1 request body's instances; throws {@link Json.BadRequest} when there are none. */
  static JsonArray instances(JsonElement body) {
    if (!body.isJsonObject()) {
      throw new Json.BadRequest("the body must be a JSON object with an \"instances\" array");
    }
    JsonElement instances = body.getAsJsonObject().get("instances");
    if (instances == null || !instances.isJsonArray()) {
      throw new Json.BadRequest("the body must have an \"instances\" array");
    }
    return instances.getAsJsonArray();
  }

  /** Waits LATENCY_MS, then draws whether this predict fails (ERROR_RATE). */
  boolean delayThenFail() throws InterruptedException {
    if (config.latencyMs() > 0) {
      Thread.sleep(config.latencyMs());
    }
    double rate = config.errorRate();
    return rate > 0 && (rate >= 1.0 || ThreadLocalRandom.current().nextDouble() < rate);
  }

  /** The KServe v1 response: model, predictions, and which revision and instance answered. */
  JsonObject response(String model, JsonArray instances) {
    JsonObject out = new JsonObject();
    out.addProperty("model", model);
    out.add("predictions", FakeModel.predict(instances));
    out.addProperty("revision", config.revision());
    out.addProperty("instance", instance);
    return out;
  }

  static JsonObject token(String prompt, int index) {
    JsonObject o = new JsonObject();
    o.addProperty("token", FakeModel.token(prompt, index));
    o.addProperty("index", index);
    return o;
  }

  static int tokens(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_TOKENS;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0 && n <= MAX_TOKENS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new Json.BadRequest("tokens must be a whole number from 0 to " + MAX_TOKENS);
  }

  String instance() {
    return instance;
  }
}
