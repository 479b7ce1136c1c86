package dev.ebb.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.ebb.support.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15's scenario 8: property-based fuzzing of every operation of the API (read from its own OpenAPI document, plus
 * the gateways' internal endpoints) with hostile path segments, query parameters, headers and bodies. The properties:
 * no answer is a 5xx, every error is RFC 9457 problem+json with its own status, and nothing stored changes (the
 * caller's newest audit event, which every change of theirs moves, and the fixture service's ETag). Requests that could change state when valid
 * (a DELETE, a body-less POST) never name an existing object, and every body is invalid on purpose, so a 2xx to a
 * write is itself a failure.
 */
final class ApiFuzzing {

    /** What a run did: the cases sent, the statuses they got, and the operations covered. */
    record Result(long cases, Map<Integer, Long> statuses, int operations, List<String> excluded) {

        long serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** One generated request. */
    record Case(String method, String template, String path, String contentType, String accept, String body) {
    }

    /** An operation of the API: a method on a path template, with the query parameters it declares. */
    record Operation(String method, String template, List<String> queryParameters, boolean hasBody) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Not fuzzed, and why: a valid call of these changes state with no input to make invalid, or streams for an hour. */
    static final List<String> EXCLUDED = List.of("POST /api/v1/secrets/rotate (re-encrypts every secret; takes no input)",
            "DELETE /api/v1/session (signs the caller out; takes no input)",
            "GET /internal/v1/routing (a long poll that answers when routing changes)");
    private static final List<String> HOSTILE_SEGMENTS = List.of("", "%2e%2e", "..%2f..", "%00", "%ff%fe", "a%0d%0aX-Injected:%201",
            "%E2%80%AE", "-", "A", "a".repeat(300), "0", "-1", "99999999999999999999", "%7B%7D", "%22", "%3Cscript%3E", "%25",
            "null", "true", "zz-missing", "zz-missing-00001", "%20", "%C0%AE");
    private static final List<String> HOSTILE_VALUES = List.of("", "-1", "0", "2147483648", "1e309", "NaN", "%00", "%ff",
            "9999-99-99T99:99:99Z", "2999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "a,b,c", "x!=y", "=", "!", "%2C%2C%2C",
            "a".repeat(5000), "%E2%80%AE", "%C0%AE", "true", "null", "'; drop table services; --");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/merge-patch+json", "text/plain",
            "application/xml", "multipart/form-data; boundary=x", "application/json; charset=latin-9", "");
    private static final List<String> ACCEPTS = List.of("application/json", "*/*", "application/problem+json", "text/html",
            "application/xml", "text/event-stream", "image/png", "");

    private final Http http;
    private final String namespace;
    private final String fixture;

    /**
     * @param http an admin of every namespace, so that answers come from the operations, not only from access control
     * @param namespace where the fixture service lives
     * @param fixture a service that exists, so that some paths reach an existing object
     */
    ApiFuzzing(Http http, String namespace, String fixture) {
        this.http = http;
        this.namespace = namespace;
        this.fixture = fixture;
    }

    /** Every operation of the OpenAPI document, plus the gateways' own endpoints, less {@link #EXCLUDED}. */
    List<Operation> operations() {
        JsonNode paths = http.get("/v3/api-docs").json().get("paths");
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                List<String> query = new ArrayList<>();
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    if ("query".equals(parameter.path("in").asString())) {
                        query.add(parameter.get("name").asString());
                    }
                }
                Operation candidate = new Operation(method, path.getKey(), query, operation.getValue().has("requestBody"));
                if (EXCLUDED.stream().noneMatch(e -> e.startsWith(method + " " + path.getKey() + " "))) {
                    operations.add(candidate);
                }
            }
        }
        for (String internal : List.of("/internal/v1/load", "/internal/v1/demand", "/internal/v1/coldstarts",
                "/internal/v1/coldstarts/batch")) {
            operations.add(new Operation("POST", internal, List.of(), true));
        }
        return operations;
    }

    /** Sends {@code cases} generated requests (the same ones for the same seed) and checks the properties after each. */
    Result run(int cases, long seed) {
        List<Operation> operations = operations();
        String stateBefore = storedState();
        Map<Integer, Long> statuses = new TreeMap<>();
        AtomicLong sent = new AtomicLong();
        qt().withFixedSeed(seed).withExamples(cases).withShrinkCycles(50).forAll(cases(operations)).checkAssert(c -> {
            Http.Response response = send(c);
            sent.incrementAndGet();
            synchronized (statuses) {
                statuses.merge(response.status(), 1L, Long::sum);
            }
            assertThat(response.status()).as("%s -> %s", c, response).isLessThan(500);
            if (response.status() >= 400) {
                assertThat(response.contentType()).as("%s -> %s", c, response).startsWith("application/problem+json");
                JsonNode problem = response.json();
                assertThat(problem.path("status").asInt()).as("%s -> %s", c, response).isEqualTo(response.status());
                assertThat(problem.path("title").asString()).as("%s -> %s", c, response).isNotBlank();
            } else if (!c.method().equals("GET")) {
                throw new AssertionError("a write with an invalid body or a missing object was accepted: " + c + " -> " + response);
            }
        });
        assertThat(storedState()).as("nothing stored changed").isEqualTo(stateBefore);
        return new Result(sent.get(), statuses, operations.size(), EXCLUDED);
    }

    /**
     * The newest audit event of the fuzzing caller (every change writes one in its transaction; the caller's own, so
     * that what a driver writes on its own account meanwhile, as {@code system:ebb}, does not count) and the fixture's
     * ETag.
     */
    String storedState() {
        JsonNode created = http.get("/api/v1/audit?namespace=" + namespace + "&service=" + fixture + "&limit=1").json().get("items");
        String actor = created.isEmpty() ? "" : "&actor=" + URLEncoder.encode(created.get(0).get("actor").asString(), StandardCharsets.UTF_8);
        JsonNode newest = http.get("/api/v1/audit?limit=1" + actor).json().get("items");
        return (newest.isEmpty() ? "none" : newest.get(0).get("id").asString()) + " "
                + http.get("/api/v1/namespaces/" + namespace + "/services/" + fixture).header("ETag");
    }

    private Http.Response send(Case c) {
        Http client = http;
        if (!c.accept().isEmpty()) {
            client = client.header("Accept", c.accept());
        }
        return client.send(c.method(), c.path(), c.body(), c.contentType().isEmpty() ? null : c.contentType());
    }

    private Gen<Case> cases(List<Operation> operations) {
        Gen<String> segment = Generate.pick(HOSTILE_SEGMENTS).mix(strings().allPossible().ofLengthBetween(1, 40)
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")), 30);
        Gen<List<String>> segments = lists().of(segment).ofSize(3);
        // Values with a % are escapes on purpose; the others are sent as a client would encode them.
        Gen<String> value = Generate.pick(HOSTILE_VALUES).map(v -> v.contains("%") ? v : URLEncoder.encode(v, StandardCharsets.UTF_8)).mix(strings().allPossible().ofLengthBetween(0, 30)
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)), 30);
        Gen<List<String>> values = lists().of(value).ofSize(3);
        Gen<String> body = body();
        Gen<Operation> operation = Generate.pick(operations);
        Gen<Integer> choices = integers().between(0, Integer.MAX_VALUE);
        return operation.zip(segments, values, body, choices, (op, segs, vals, b, choice) -> build(op, segs, vals, b, choice));
    }

    private Case build(Operation op, List<String> segments, List<String> values, String body, int choice) {
        // A third of the cases keep real names in the path, so that the operations themselves, not only their 404s, see
        // hostile input; never for a write that takes no body (it would succeed) nor a DELETE.
        boolean realNames = choice % 3 == 0 && op.hasBody();
        StringBuilder path = new StringBuilder();
        int next = 0;
        for (String part : op.template().split("/", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            path.append('/');
            if (part.startsWith("{")) {
                String real = switch (part) {
                    case "{namespace}" -> namespace;
                    case "{name}" -> fixture;
                    case "{revision}", "{from}", "{to}" -> fixture + "-00001";
                    default -> "zz-missing";
                };
                String hostile = segments.get(next++ % segments.size());
                // "zz" keeps a hostile segment from ever naming an existing object (none starts so).
                path.append(realNames ? real : "zz" + hostile);
            } else {
                path.append(part);
            }
        }
        if (!op.queryParameters().isEmpty() || choice % 5 == 0) {
            List<String> names = new ArrayList<>(op.queryParameters());
            names.remove("follow");
            names.add("zzUnknown");
            String query = values.stream().limit(1 + choice % 3)
                    .map(v -> names.get(Math.floorMod(v.hashCode() + choice, names.size())) + "=" + v)
                    .collect(Collectors.joining("&"));
            path.append('?').append(query);
        }
        String method = choice % 11 == 0 ? List.of("OPTIONS", "TRACE", "PATCH", "PUT", "DELETE").get(choice % 5) : op.method();
        String swapped = method;
        if ((method.equals("DELETE") && realNames) || EXCLUDED.stream().anyMatch(e -> e.startsWith(swapped + " " + op.template() + " "))) {
            method = op.method();
        }
        boolean sendsBody = op.hasBody() || choice % 7 == 0;
        return new Case(method, op.template(), path.toString(), sendsBody ? CONTENT_TYPES.get(choice % CONTENT_TYPES.size()) : "",
                ACCEPTS.get((choice / 7) % ACCEPTS.size()), sendsBody || !method.equals("GET") ? body : null);
    }

    /** Bodies that are never a valid request: broken JSON, valid JSON of the wrong shape, a document with a field added. */
    private static Gen<String> body() {
        Gen<String> text = strings().allPossible().ofLengthBetween(0, 200);
        Gen<String> json = Generate.pick(List.of("{", "[]", "null", "\"x\"", "1e999999", "{\"name\": }", "{\"a\":1,\"a\":2}",
                "[".repeat(5000) + "]".repeat(5000), "{\"name\": \"x\"}{", "{\"template\": {\"image\": \"\\u0000\"}}",
                "{\"name\": \"x\", \"template\": {\"scale\": {\"max\": 1000000000}}, \"zz\": 1}",
                "{\"traffic\": [{\"percent\": 1e300}], \"zzUnknown\": true}", "{\"kind\": \"gateway\", \"zz\": []}",
                "{\"instances\": [], \"zz\": {}}"));
        Gen<String> documentWithExtra = strings().basicLatinAlphabet().ofLengthBetween(1, 20).zip(text,
                (field, v) -> "{\"name\": \"x\", \"template\": {\"image\": \"m:1\"}, \"zz" + field.replace("\"", "") + "\": "
                        + JSON.writeValueAsString(v) + "}");
        Gen<String> wrongTypes = integers().all().map(n -> "{\"name\": " + n + ", \"template\": " + n + ", \"traffic\": \"" + n
                + "\", \"labels\": [" + n + "], \"percent\": \"" + n + "\", \"kind\": " + n + "}");
        return text.mix(json, 40).mix(documentWithExtra, 35).mix(wrongTypes, 30);
    }
}
