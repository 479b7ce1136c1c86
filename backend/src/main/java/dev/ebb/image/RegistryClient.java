package dev.ebb.image;

import dev.ebb.registry.CaBundle;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a registry, through the OCI Distribution API, which digest a tag points to: a HEAD of the manifest (a GET
 * where HEAD is refused), answering a Bearer challenge with a token from the registry's token server or a Basic one
 * with the stored credential. Tokens and the scheme a registry wants are cached, so that the next resolution of the
 * same repository takes one request. Every failure becomes a {@link ResolutionFailure}.
 */
public final class RegistryClient {

    /** What a resolution accepts, most specific first: a multi-arch index resolves to the index's own digest. */
    static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    /** A stored credential, as a request to its registry uses it. */
    public record Login(String name, String username, String password) {

        @Override
        public String toString() {
            return "Login[name=" + name + ", username=" + username + "]";
        }
    }

    /**
     * How to reach one registry.
     *
     * @param scheme {@code http} or {@code https}
     * @param login the credential stored for the registry, null for anonymous access
     * @param caBundle PEM certificates to trust instead of the JVM's, null for the JVM's
     * @param plainHttpBecause why the registry is spoken to in plain HTTP, for the message when it expects HTTPS
     */
    public record Endpoint(String scheme, Login login, String caBundle, String plainHttpBecause) {
    }

    /** A tag's digest and the media type of the manifest (or index) it names. */
    public record Resolved(String digest, String mediaType) {
    }

    private final Duration timeout;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final Map<AuthKey, CachedAuthorization> authorizations = new ConcurrentHashMap<>();

    public RegistryClient(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Which credentials for which repository of which registry a cached authorization is for. */
    private record AuthKey(String origin, String repository, Login login) {
    }

    /** An {@code Authorization} header value and until when it may be sent. */
    private record CachedAuthorization(String header, Instant expires) {
    }

    /** What a request and its failure mapping need to know of the image and endpoint. */
    private record Call(ImageName image, String reference, Endpoint endpoint, String origin) {

        ResolutionFailure failure(ResolutionFailure.Kind kind, String detail) {
            return failure(kind, detail, List.of());
        }

        ResolutionFailure failure(ResolutionFailure.Kind kind, String detail, List<String> tags) {
            Login login = endpoint.login();
            return new ResolutionFailure(kind, image.registry(), image.repository(), reference, detail, tags,
                    login == null ? null : new ResolutionFailure.Credential(login.name(), login.username()));
        }
    }

    /** The digest {@code image}'s tag points to now. */
    public Resolved resolve(ImageName image, String reference, Endpoint endpoint) throws ResolutionException {
        Call call = new Call(image, reference, endpoint, endpoint.scheme() + "://" + image.apiHost());
        URI manifest = URI.create(call.origin() + "/v2/" + image.repository() + "/manifests/" + image.tag());
        HttpResponse<byte[]> head = send(call, "HEAD", manifest, ACCEPT);
        boolean headWillNotDo = head.statusCode() == 200 && head.headers().firstValue("Docker-Content-Digest").isEmpty()
                || head.statusCode() == 405 || head.statusCode() == 501 || head.statusCode() == 400;
        // No digest header, or HEAD refused: the body's own digest is the manifest's.
        HttpResponse<byte[]> answer = headWillNotDo ? send(call, "GET", manifest, ACCEPT) : head;
        int status = answer.statusCode();
        if (status == 200) {
            String mediaType = answer.headers().firstValue("Content-Type").orElse(null);
            String digest = answer.headers().firstValue("Docker-Content-Digest")
                    .orElseGet(() -> answer.request().method().equals("GET") ? sha256(answer.body()) : null);
            if (digest == null) {
                throw new ResolutionException(call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER,
                        "its manifest answer has no Docker-Content-Digest header"));
            }
            return new Resolved(digest, mediaType);
        }
        if (status == 404) {
            throw new ResolutionException(notFound(call));
        }
        throw new ResolutionException(failureOf(call, answer));
    }

    /** A manifest that is not there: an unknown tag in a repository that exists, or no such repository. */
    private ResolutionFailure notFound(Call call) throws ResolutionException {
        URI tagList = URI.create(call.origin() + "/v2/" + call.image().repository() + "/tags/list");
        HttpResponse<byte[]> answer = send(call, "GET", tagList, "application/json");
        if (answer.statusCode() == 404) {
            return call.failure(ResolutionFailure.Kind.UNKNOWN_REPOSITORY, "404 Not Found");
        }
        if (answer.statusCode() != 200) {
            return failureOf(call, answer);
        }
        List<String> tags = new ArrayList<>();
        try {
            JsonNode list = json.readTree(answer.body()).get("tags");
            if (list != null) {
                list.forEach(tag -> tags.add(tag.asString()));
            }
        } catch (JacksonException e) {
            return call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER, "its tag list is not JSON: " + e.getOriginalMessage());
        }
        tags.sort(null);
        return call.failure(ResolutionFailure.Kind.UNKNOWN_TAG, "404 Not Found", tags);
    }

    private ResolutionFailure failureOf(Call call, HttpResponse<byte[]> answer) {
        int status = answer.statusCode();
        String statusLine = statusLine(status);
        if (status == 400 && new String(answer.body(), StandardCharsets.UTF_8).contains("HTTPS server")) {
            return call.failure(ResolutionFailure.Kind.PLAIN_HTTP_TO_TLS, Objects.requireNonNullElse(
                    call.endpoint().plainHttpBecause(), "it is listed as plain HTTP"));
        }
        if (status == 401) {
            boolean insufficientScope = answer.headers().allValues("WWW-Authenticate").stream()
                    .anyMatch(h -> h.contains("insufficient_scope"));
            return call.failure(insufficientScope && call.endpoint().login() != null ? ResolutionFailure.Kind.FORBIDDEN
                    : ResolutionFailure.Kind.UNAUTHORIZED, statusLine);
        }
        if (status == 403) {
            return call.failure(ResolutionFailure.Kind.FORBIDDEN, statusLine);
        }
        if (status == 429 || status >= 500) {
            return call.failure(ResolutionFailure.Kind.SERVER_ERROR, statusLine);
        }
        return call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER, statusLine + " to " + answer.request().method() + " "
                + answer.request().uri().getPath());
    }

    /**
     * One request, authorized the way the registry asked last time for this repository; a challenge is answered
     * once and the request sent again.
     */
    private HttpResponse<byte[]> send(Call call, String method, URI uri, String accept) throws ResolutionException {
        AuthKey key = new AuthKey(call.origin(), call.image().repository(), call.endpoint().login());
        CachedAuthorization cached = authorizations.get(key);
        if (cached != null && !clock.instant().isBefore(cached.expires())) {
            authorizations.remove(key, cached);
            cached = null;
        }
        HttpResponse<byte[]> answer = exchange(call, method, uri, accept, cached == null ? null : cached.header());
        if (answer.statusCode() != 401) {
            return answer;
        }
        var challenge = AuthChallenge.choose(answer.headers().allValues("WWW-Authenticate"));
        if (challenge.isEmpty()) {
            return answer;
        }
        CachedAuthorization fresh = switch (challenge.get().scheme()) {
            case "bearer" -> token(call, challenge.get());
            case "basic" -> call.endpoint().login() == null ? null
                    : new CachedAuthorization(basic(call.endpoint().login()), Instant.MAX);
            default -> null;
        };
        if (fresh == null || cached != null && fresh.header().equals(cached.header())) {
            return answer;
        }
        authorizations.put(key, fresh);
        return exchange(call, method, uri, accept, fresh.header());
    }

    /** A token from the registry's token server for pulling the repository, with the stored credential if any. */
    private CachedAuthorization token(Call call, AuthChallenge challenge) throws ResolutionException {
        String realm = challenge.parameter("realm");
        if (realm == null) {
            throw new ResolutionException(call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER,
                    "its Bearer challenge names no realm to get a token from"));
        }
        StringBuilder query = new StringBuilder();
        String service = challenge.parameter("service");
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8)).append('&');
        }
        query.append("scope=").append(URLEncoder.encode("repository:" + call.image().repository() + ":pull",
                StandardCharsets.UTF_8));
        URI uri;
        try {
            uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        } catch (IllegalArgumentException e) {
            throw new ResolutionException(call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER,
                    "its token realm '" + realm + "' is not a URL"));
        }
        Login login = call.endpoint().login();
        Instant asked = clock.instant();
        HttpResponse<byte[]> answer = exchange(call, "GET", uri, "application/json", login == null ? null : basic(login));
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new ResolutionException(call.failure(answer.statusCode() == 401 ? ResolutionFailure.Kind.UNAUTHORIZED
                    : ResolutionFailure.Kind.FORBIDDEN, "its token server " + uri.getHost() + " answered "
                    + statusLine(answer.statusCode())));
        }
        if (answer.statusCode() != 200) {
            throw new ResolutionException(failureOf(call, answer));
        }
        try {
            JsonNode body = json.readTree(answer.body());
            JsonNode token = body.hasNonNull("token") ? body.get("token") : body.get("access_token");
            if (token == null || token.asString().isEmpty()) {
                throw new ResolutionException(call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER,
                        "its token server " + uri.getHost() + " answered without a token"));
            }
            // The spec's default lifetime is 60 s; a token is dropped a little early so that none is sent as it expires.
            long lifetime = body.hasNonNull("expires_in") ? body.get("expires_in").asLong() : 60;
            Duration valid = Duration.ofSeconds(lifetime).minus(Duration.ofSeconds(Math.min(5, lifetime / 2)));
            return new CachedAuthorization("Bearer " + token.asString(), asked.plus(valid));
        } catch (JacksonException e) {
            throw new ResolutionException(call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER,
                    "its token server " + uri.getHost() + " answered with something other than JSON"));
        }
    }

    private HttpResponse<byte[]> exchange(Call call, String method, URI uri, String accept, String authorization)
            throws ResolutionException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client(call).send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolutionException(call.failure(ResolutionFailure.Kind.TIMEOUT, "the time Ebb had (it is stopping)"));
        } catch (IOException e) {
            throw new ResolutionException(failureOf(call, uri, e));
        }
    }

    /** The failure an exception of the HTTP client means. */
    private ResolutionFailure failureOf(Call call, URI uri, IOException e) {
        String hostAndPort = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80);
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return call.failure(ResolutionFailure.Kind.TIMEOUT, Durations.spoken(timeout));
        }
        if (causedBy(e, UnresolvedAddressException.class) || causedBy(e, UnknownHostException.class)) {
            return call.failure(ResolutionFailure.Kind.DNS, uri.getHost());
        }
        if (e instanceof ConnectException) {
            return call.failure(ResolutionFailure.Kind.CONNECTION_REFUSED, hostAndPort);
        }
        if (e instanceof SSLException) {
            String message = Objects.toString(e.getMessage(), "");
            if (message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext")) {
                return call.failure(ResolutionFailure.Kind.TLS_TO_PLAIN_HTTP, message);
            }
            if (e instanceof SSLHandshakeException && (causedBy(e, CertPathValidatorException.class)
                    || causedBy(e, CertificateException.class) || message.contains("PKIX"))) {
                return call.failure(ResolutionFailure.Kind.UNTRUSTED_CERTIFICATE, rootMessage(e));
            }
        }
        return call.failure(ResolutionFailure.Kind.UNEXPECTED_ANSWER, e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " talking to " + hostAndPort);
    }

    private HttpClient client(Call call) throws ResolutionException {
        String bundle = call.endpoint().caBundle();
        String key = bundle == null ? "" : bundle;
        HttpClient existing = clients.get(key);
        if (existing != null) {
            return existing;
        }
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL);
        if (bundle != null) {
            try {
                builder.sslContext(CaBundle.trusting(bundle));
            } catch (GeneralSecurityException e) {
                throw new ResolutionException(call.failure(ResolutionFailure.Kind.UNTRUSTED_CERTIFICATE,
                        "the caBundle of its registry credential cannot be used: " + e.getMessage()));
            }
        }
        return clients.computeIfAbsent(key, k -> builder.build());
    }

    private static String basic(Login login) {
        return "Basic " + Base64.getEncoder().encodeToString((login.username() + ":" + login.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return Objects.toString(root.getMessage(), root.getClass().getSimpleName());
    }

    private static String statusLine(int status) {
        return status + switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 405 -> " Method Not Allowed";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }
}
