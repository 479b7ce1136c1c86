package dev.ebb.cli.output;

import java.io.PrintWriter;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** Prints an API answer in the chosen format: the document as Ebb sent it for JSON and YAML, a human view otherwise. */
public final class Printer {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLWriteFeature.WRITE_DOC_START_MARKER).build();

    private Printer() {
    }

    public static void print(PrintWriter out, Format format, JsonNode document, Function<JsonNode, String> human) {
        out.print(render(format, document, human));
        out.flush();
    }

    public static String render(Format format, JsonNode document, Function<JsonNode, String> human) {
        return switch (format) {
            case JSON -> JSON.writeValueAsString(document) + "\n";
            case YAML -> YAML.writeValueAsString(document);
            case TABLE -> human.apply(document);
        };
    }
}
