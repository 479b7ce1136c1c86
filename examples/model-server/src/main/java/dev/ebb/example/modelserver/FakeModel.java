package dev.ebb.example.modelserver;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The "model": deterministic functions of the input, so that tests can check answers exactly.
 *
 * <p>A prediction for one instance is a score in [0, 1): the 64-bit FNV-1a hash of the instance's compact
 * JSON text, scaled and rounded to 4 decimals. Generated tokens are words from a small vocabulary, chosen by
 * the hash of the prompt and the token's index.
 */
public final class FakeModel {

  private static final List<String> VOCABULARY = List.of(
      "the", "model", "serves", "tokens", "quickly", "and", "scales", "to", "zero", "when", "idle",
      "revision", "traffic", "splits", "canary", "blue", "green", "cold", "start", "warm", "request",
      "stream", "ebb", "flow", "tide", "wave", "shore", "moon", "river", "sea", "calm", "again");

  private FakeModel() {
  }

  /** The predictions for the instances, one score each, in order. */
  public static JsonArray predict(JsonArray instances) {
    JsonArray predictions = new JsonArray(instances.size());
    for (JsonElement instance : instances) {
      predictions.add(score(instance.toString()));
    }
    return predictions;
  }

  /** The score of one instance given as compact JSON text. */
  public static double score(String instanceJson) {
    long hash = fnv1a(instanceJson);
    // The top 53 bits give a uniformly spread double in [0, 1).
    double unit = (hash >>> 11) * 0x1.0p-53;
    return Math.floor(unit * 10_000) / 10_000;
  }

  /** The token at {@code index} of the text generated for {@code prompt}. */
  public static String token(String prompt, int index) {
    long hash = fnv1a(prompt + "\u0000" + index);
    return VOCABULARY.get((int) Long.remainderUnsigned(hash, VOCABULARY.size()));
  }

  static long fnv1a(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
