package dev.ebb.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person's browser on the console at {@code base}: it keeps cookies, sends the CSRF cookie's value back as a header
 * when told to, and follows no redirect by itself, so that every hop of a sign-in is visible. Cookies do not tell
 * ports apart, so the same browser {@link #on on} another control plane of this host presents the same session, as it
 * would to replicas behind one address.
 */
public final class Browser {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final CookieManager cookies;
    private final HttpClient client;
    private final String base;

    public Browser(String base) {
        this(new CookieManager(), base);
    }

    private Browser(CookieManager cookies, String base) {
        this.cookies = cookies;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        this.base = base;
    }

    /** The same browser, with its cookies, on another control plane. */
    public Browser on(String otherBase) {
        return new Browser(cookies, otherBase);
    }

    public HttpResponse<String> send(String method, String path, String body, boolean withCsrfHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        String csrf = cookie("XSRF-TOKEN");
        if (withCsrfHeader && csrf != null) {
            request.header("X-XSRF-TOKEN", csrf);
        }
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, false);
    }

    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue)
                .findFirst().orElse(null);
    }

    /** Signs in with a password as the console does: it reads the session first, which hands it the CSRF cookie. */
    public HttpResponse<String> signIn(String username, String password) {
        get("/api/v1/session");
        return send("POST", "/api/v1/session", "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}", true);
    }

    /**
     * Starts at Ebb's sign-in link, signs in at the OpenID provider's login form, and follows the flow back to Ebb;
     * returns where it ends there (a path and query).
     */
    public String signInThroughProvider(String username, String password) {
        return signInThroughProvider(username, password, base);
    }

    /** The same, with the provider's answer landing on the control plane at {@code callbackBase}. */
    public String signInThroughProvider(String username, String password, String callbackBase) {
        URI callback = URI.create(callbackBase);
        URI next = URI.create(base + "/oauth2/authorization/oidc");
        for (int hop = 0; hop < 12; hop++) {
            // A browser asks for HTML: the provider then sends it to its login page rather than answering 401.
            HttpResponse<String> response = send(HttpRequest.newBuilder(next).header("Accept", "text/html").GET().build());
            if (response.statusCode() == 200 && response.body().contains("_csrf")) {
                Matcher csrf = CSRF_FIELD.matcher(response.body());
                assertThat(csrf.find()).as("the provider's login form").isTrue();
                String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                        + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
                response = send(HttpRequest.newBuilder(next.resolve("/login")).header("Accept", "text/html")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            }
            assertThat(response.statusCode()).as(next + " " + response.body()).isIn(301, 302, 303);
            URI location = next.resolve(response.headers().firstValue("Location").orElseThrow());
            if (location.getPath().startsWith("/login/oauth2/code/")) {
                next = callback.resolve(location.getRawPath() + "?" + location.getRawQuery());
            } else if (location.getPort() == callback.getPort() && !location.getPath().startsWith("/oauth2/")) {
                return location.getPath() + (location.getQuery() == null ? "" : "?" + location.getQuery());
            } else {
                next = location;
            }
        }
        throw new AssertionError("the sign-in did not come back to Ebb within 12 redirects");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
