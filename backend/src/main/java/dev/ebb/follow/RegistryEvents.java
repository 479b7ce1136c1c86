package dev.ebb.follow;

import dev.ebb.problem.InvalidInputException;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the pushes of tags out of what registries post: Docker Distribution's notification envelope
 * ({@code application/vnd.docker.distribution.events.v1+json}, {@code {"events": [...]}}) and Harbor's webhook payload
 * ({@code {"type": "PUSH_ARTIFACT", "event_data": {...}}}). Registries add fields as they go, so fields not read here
 * are ignored; events other than pushes, and pushes by digest alone (no tag), are skipped. A body that is neither, or a
 * push without what it must have, is refused with a sentence that names the field.
 */
final class RegistryEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RegistryEvents() {
    }

    static List<Push> parse(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw InvalidInputException.unreadable("", "the body is not JSON (malformed" + where + "); a registry posts a "
                    + "Docker Distribution notification envelope or a Harbor webhook payload");
        }
        if (root == null || !root.isObject()) {
            throw InvalidInputException.unreadable("", "the body must be a JSON object: a Docker Distribution notification "
                    + "envelope ({\"events\": [...]}) or a Harbor webhook payload ({\"type\": \"PUSH_ARTIFACT\", ...})");
        }
        if (root.has("events")) {
            return distribution(root.get("events"));
        }
        if (root.has("type") && root.has("event_data")) {
            return harbor(root);
        }
        throw InvalidInputException.unreadable("", "the body is neither a Docker Distribution notification envelope (it has "
                + "no \"events\") nor a Harbor webhook payload (it has no \"type\" and \"event_data\")");
    }

    private static List<Push> distribution(JsonNode events) {
        if (!events.isArray()) {
            throw InvalidInputException.unreadable("events", "must be an array of events");
        }
        List<Push> pushes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String field = "events[" + i + "]";
            if (!event.isObject()) {
                throw InvalidInputException.unreadable(field, "must be an object");
            }
            if (!"push".equals(text(event, "action", field, false))) {
                continue;
            }
            JsonNode target = event.get("target");
            if (target == null || !target.isObject()) {
                throw InvalidInputException.unreadable(field + ".target", "is missing: a push names its target");
            }
            String tag = text(target, "tag", field + ".target", false);
            if (tag == null || tag.isEmpty()) {
                continue;
            }
            String id = text(event, "id", field, true);
            String repository = text(target, "repository", field + ".target", true);
            String digest = digest(text(target, "digest", field + ".target", true), field + ".target.digest");
            String timestamp = text(event, "timestamp", field, false);
            Instant at = timestamp == null ? null : instant(timestamp, field + ".timestamp");
            JsonNode request = event.get("request");
            String host = request != null && request.isObject() ? text(request, "host", field + ".request", false) : null;
            if (host == null || host.isEmpty()) {
                host = hostOfUrl(text(target, "url", field + ".target", false));
            }
            pushes.add(new Push(id, at, host, repository, tag, digest));
        }
        return pushes;
    }

    private static List<Push> harbor(JsonNode root) {
        String type = text(root, "type", "", true);
        if (!"PUSH_ARTIFACT".equals(type)) {
            return List.of();
        }
        JsonNode data = root.get("event_data");
        if (!data.isObject()) {
            throw InvalidInputException.unreadable("event_data", "must be an object");
        }
        JsonNode repository = data.get("repository");
        if (repository == null || !repository.isObject()) {
            throw InvalidInputException.unreadable("event_data.repository", "is missing: a push names its repository");
        }
        String fullName = text(repository, "repo_full_name", "event_data.repository", true);
        JsonNode resources = data.get("resources");
        if (resources == null || !resources.isArray()) {
            throw InvalidInputException.unreadable("event_data.resources", "must be an array of the pushed artifacts");
        }
        Instant at = null;
        JsonNode occurAt = root.get("occur_at");
        if (occurAt != null && !occurAt.isNull()) {
            if (!occurAt.isIntegralNumber()) {
                throw InvalidInputException.unreadable("occur_at", "must be a Unix time in seconds");
            }
            at = Instant.ofEpochSecond(occurAt.asLong());
        }
        List<Push> pushes = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            JsonNode resource = resources.get(i);
            String field = "event_data.resources[" + i + "]";
            if (!resource.isObject()) {
                throw InvalidInputException.unreadable(field, "must be an object");
            }
            String tag = text(resource, "tag", field, false);
            if (tag == null || tag.isEmpty()) {
                continue;
            }
            String digest = digest(text(resource, "digest", field, true), field + ".digest");
            String host = hostOfReference(text(resource, "resource_url", field, false));
            // Harbor's payload has no event id: this names the push well enough for the audit trail.
            String id = "harbor:" + fullName + ":" + tag + "@" + (at == null ? digest : at.getEpochSecond());
            pushes.add(new Push(id, at, host, fullName, tag, digest));
        }
        return pushes;
    }

    private static String text(JsonNode node, String name, String parent, boolean required) {
        JsonNode value = node.get(name);
        String field = parent.isEmpty() ? name : parent + "." + name;
        if (value == null || value.isNull()) {
            if (required) {
                throw InvalidInputException.unreadable(field, "is missing");
            }
            return null;
        }
        if (!value.isString()) {
            throw InvalidInputException.unreadable(field, "must be a string");
        }
        if (required && value.asString().isEmpty()) {
            throw InvalidInputException.unreadable(field, "is empty");
        }
        return value.asString();
    }

    private static String digest(String digest, String field) {
        int colon = digest.indexOf(':');
        if (colon <= 0 || colon == digest.length() - 1) {
            throw InvalidInputException.unreadable(field, "'" + digest + "' is not a digest such as sha256:<hex>");
        }
        return digest;
    }

    private static Instant instant(String text, String field) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw InvalidInputException.unreadable(field, "'" + text + "' is not an RFC 3339 time");
        }
    }

    /** The host (and port) of a URL such as {@code http://registry:5000/v2/acme/model/manifests/sha256:...}. */
    private static String hostOfUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            return URI.create(url).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The registry of a reference such as {@code harbor.example.com/library/nginx:latest}, as Docker reads one. */
    private static String hostOfReference(String reference) {
        if (reference == null) {
            return null;
        }
        int slash = reference.indexOf('/');
        String first = slash < 0 ? "" : reference.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : null;
    }
}
