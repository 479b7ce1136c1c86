package dev.ebb.cli.apply;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A service document to apply, read far enough to know where it goes: an Ebb service ({@code name}, {@code namespace})
 * or a Knative {@code serving.knative.dev/v1} Service ({@code metadata.name}, {@code metadata.namespace}).
 * Both go to Ebb as they were written, with their media type: the server reads YAML by its own rules (YAML 1.2's core
 * schema, so {@code on} stays a string; no anchors, aliases or tags), which a translation here would hide.
 *
 * @param namespace null when the document names none
 * @param body what to send
 */
public record Manifest(Kind kind, String name, String namespace, byte[] body, String contentType) {

    public static final String KNATIVE_API_VERSION = "serving.knative.dev/v1";

    /** Which model the document is written in. */
    public enum Kind { EBB, KNATIVE }

    // Trailing documents are counted below, to say how many there were.
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /**
     * Reads {@code content}; {@code source} names it in messages ({@code -} is standard input) and, by its extension,
     * says whether it is JSON or YAML; without one, a document starting with <code>{</code> is JSON.
     */
    public static Manifest parse(byte[] content, String source) {
        boolean json = isJson(content, source);
        JsonNode document = read(json ? JSON : YAML, content, source);
        if (!document.isObject()) {
            throw invalid(source + " is not a service: it must be an object with the service's fields");
        }
        JsonNode apiVersion = document.get("apiVersion");
        JsonNode kind = document.get("kind");
        if (apiVersion != null || kind != null) {
            String version = apiVersion == null ? "" : apiVersion.asString("");
            String kindName = kind == null ? "" : kind.asString("");
            if (!(KNATIVE_API_VERSION.equals(version) && "Service".equals(kindName))) {
                throw invalid(source + " is apiVersion '" + version + "', kind '" + kindName + "': Ebb applies its own services "
                        + "(no apiVersion or kind) and Knative Services (apiVersion " + KNATIVE_API_VERSION + ", kind Service)");
            }
            JsonNode metadata = document.path("metadata");
            String name = text(metadata, "name", "metadata.name", source);
            if (name == null) {
                throw invalid(source + " has no metadata.name: give the Knative Service a name");
            }
            return new Manifest(Kind.KNATIVE, name, text(metadata, "namespace", "metadata.namespace", source), content,
                    mediaType(json));
        }
        String name = text(document, "name", "name", source);
        if (name == null) {
            throw invalid(source + " has no name: give the service a \"name\" (a Knative Service has metadata.name)");
        }
        return new Manifest(Kind.EBB, name, text(document, "namespace", "namespace", source), content, mediaType(json));
    }

    /**
     * The namespace to apply in: the document's, unless {@code -n} names another (an error), else {@code -n}'s, else the
     * connection's.
     */
    public String namespaceWith(String flag, String fallback) {
        if (namespace != null) {
            if (flag != null && !flag.equals(namespace)) {
                throw invalid("The document is for namespace '" + namespace + "' but -n says '" + flag
                        + "': leave -n out, or change the document's namespace");
            }
            return namespace;
        }
        return flag != null ? flag : fallback;
    }

    private static String mediaType(boolean json) {
        return json ? "application/json" : "application/yaml";
    }

    private static boolean isJson(byte[] content, String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return true;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return false;
        }
        for (byte b : content) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    private static JsonNode read(ObjectMapper mapper, byte[] content, String source) {
        try {
            // Value by value from a parser: a reader's readValues would take a root-level list for several documents.
            List<JsonNode> documents = new ArrayList<>();
            try (JsonParser parser = mapper.createParser(content)) {
                while (parser.nextToken() != null) {
                    documents.add(mapper.readTree(parser));
                }
            }
            if (documents.isEmpty()) {
                throw invalid(source + " is empty: it must hold one service");
            }
            if (documents.size() > 1) {
                throw invalid(source + " holds " + documents.size() + " documents: apply one service per file");
            }
            return documents.get(0);
        } catch (JacksonException e) {
            TokenStreamLocation location = e.getLocation();
            String where = location == null || location.getLineNr() < 1 ? source
                    : source + ":" + location.getLineNr() + ":" + location.getColumnNr();
            throw invalid(where + ": " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode parent, String field, String path, String source) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw invalid(source + ": " + path + " must be a string, not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.asString();
    }

    private static CliFailure invalid(String message) {
        return new CliFailure(ExitCode.INVALID, message);
    }
}
