package dev.ebb.cli.client;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import dev.ebb.cli.config.Connection;
import dev.ebb.problem.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** Ebb's REST API for one connection: JSON in and out, errors as {@link ApiException} or a {@link CliFailure}. */
public final class EbbClient {

    public static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String USER_AGENT = "ebb-cli";

    private final Connection connection;
    private final HttpClient http;

    public EbbClient(Connection connection) {
        this.connection = connection;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Connection connection() {
        return connection;
    }

    /** {@code /api/v1/namespaces/{ns}/services[/{service}[/rest...]]}, each segment encoded. */
    public static String servicePath(String namespace, String service, String... rest) {
        StringBuilder path = new StringBuilder("/api/v1/namespaces/").append(segment(namespace)).append("/services");
        if (service != null) {
            path.append('/').append(segment(service));
        }
        for (String part : rest) {
            path.append('/').append(segment(part));
        }
        return path.toString();
    }

    /** {@code path} with the non-null parameters as a query string; a list value repeats its name. */
    public static String query(String path, Map<String, ?> parameters) {
        String query = parameters.entrySet().stream().filter(entry -> entry.getValue() != null)
                .flatMap(entry -> (entry.getValue() instanceof List<?> values ? values.stream() : Stream.of(entry.getValue()))
                        .map(value -> encode(entry.getKey()) + "=" + encode(String.valueOf(value))))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? path : path + "?" + query;
    }

    public static Map<String, Object> parameters(Object... keysAndValues) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            parameters.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return parameters;
    }

    /** Every item of a paged list, following {@code continue} to the last page. */
    public ArrayNode items(String path) {
        ArrayNode items = JSON.createArrayNode();
        String next = null;
        do {
            JsonNode page = get(next == null ? path : path + (path.contains("?") ? "&" : "?") + "continue=" + encode(next));
            page.path("items").forEach(items::add);
            next = page.path("continue").isString() ? page.path("continue").asString() : null;
        } while (next != null);
        return items;
    }

    public JsonNode get(String path) {
        return json(send("GET", path, null, null, Map.of()));
    }

    public JsonNode post(String path, Object body) {
        return json(send("POST", path, JSON.writeValueAsBytes(body), "application/json", Map.of()));
    }

    public JsonNode put(String path, Object body) {
        return json(send("PUT", path, JSON.writeValueAsBytes(body), "application/json", Map.of()));
    }

    public void delete(String path) {
        send("DELETE", path, null, null, Map.of());
    }

    /** Any call; an error status throws, a success answers the response with its body as bytes. */
    public HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest request = request(method, path, body, contentType, headers);
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 400) {
            throw error(method + " " + path, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    /** A streamed GET, such as a followed log; the caller closes the stream. */
    public InputStream stream(String path) {
        HttpRequest request = request("GET", path, null, null, Map.of("Accept", "text/plain, application/problem+json"));
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            try (InputStream body = response.body()) {
                throw error("GET " + path, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CliFailure(ExitCode.ERROR, "Reading Ebb's answer to GET " + path + " failed: " + e.getMessage(), e);
            }
        }
        return response.body();
    }

    public static JsonNode json(HttpResponse<byte[]> response) {
        if (response.body().length == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new CliFailure(ExitCode.ERROR, "Ebb answered " + response.request().method() + " " + response.request().uri().getPath()
                    + " with something that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private HttpRequest request(String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(connection.server() + path))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + connection.token())
                .header("User-Agent", USER_AGENT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!headers.containsKey("Accept")) {
            builder.header("Accept", "application/json, application/problem+json");
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliFailure(ExitCode.ERROR, "Cannot reach Ebb at " + connection.server() + " (" + describe(e)
                    + "): is it running, and is the server right? `ebb login --server URL` or --server changes it", e);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.ERROR, request.method() + " " + connection.server() + request.uri().getRawPath()
                    + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.ERROR, "Interrupted while calling Ebb", e);
        }
    }

    private static ApiException error(String request, int status, String contentType, String body) {
        if (contentType.startsWith(Problem.MEDIA_TYPE) || contentType.startsWith("application/json")) {
            try {
                Problem problem = JSON.readValue(body, Problem.class);
                if (problem != null && (problem.title() != null || problem.detail() != null)) {
                    return new ApiException(status, problem, ProblemText.describe(request, status, problem));
                }
            } catch (JacksonException e) {
                // Not a problem document after all: shown as it came below.
            }
        }
        return new ApiException(status, null, ProblemText.describe(request, status, body));
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
