package dev.ebb.example.modelserver;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** Strict JSON in, compact JSON out. */
final class Json {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private Json() {
  }

  static String write(JsonElement element) {
    return GSON.toJson(element);
  }

  /** Parses one JSON document, strictly; throws {@link BadRequest} when it is not valid JSON. */
  static JsonElement parse(String text) {
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      JsonElement element = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new BadRequest("the body has more than one JSON value");
      }
      return element;
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new BadRequest("the body is not valid JSON");
    }
  }

  static JsonObject error(String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return o;
  }

  /** A request the server refuses: HTTP 400, gRPC INVALID_ARGUMENT. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
