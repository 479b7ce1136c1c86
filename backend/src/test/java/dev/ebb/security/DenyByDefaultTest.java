package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Walks every request mapping of the application and calls each one anonymously, with a role too small, from another
 * namespace and with the right role. A mapping this test does not know fails it: whoever adds an endpoint decides,
 * here, who may call it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DenyByDefaultTest extends ApiTest {

    /** Who may call a mapping. */
    enum Rule {
        OPEN, NAMESPACED, SERVICE_OVERVIEW, AUDIT, STAR_VIEWER, STAR_ADMIN, ROUTING_FEED, GATEWAY,
        /** A registry's delivery to a hook: the hook's secret, not a role, lets it in. */
        HOOK_SECRET
    }

    private static final String NS = "matrix-a";
    private static final String OTHER_NS = "matrix-b";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private Http viewer;
    private Http deployer;
    private Http namespaceAdmin;
    private Http otherNamespaceAdmin;
    private Http starViewer;
    private Http gateway;
    /** Holds the secret of the registry hook named "x", the name every path variable gets here. */
    private Http hookSecret;

    @BeforeAll
    void tokens() {
        viewer = token("viewer", "{\"namespace\": \"" + NS + "\", \"role\": \"viewer\"}");
        deployer = token("deployer", "{\"namespace\": \"" + NS + "\", \"role\": \"deployer\", \"publish\": true}");
        namespaceAdmin = token("ns-admin", "{\"namespace\": \"" + NS + "\", \"role\": \"admin\"}");
        otherNamespaceAdmin = token("other-admin", "{\"namespace\": \"" + OTHER_NS + "\", \"role\": \"admin\"}");
        starViewer = token("auditor", "{\"namespace\": \"*\", \"role\": \"viewer\"}");
        Http.Response created = http().post("/api/v1/tokens", "{\"name\": \"gw-" + suffix + "\", \"kind\": \"gateway\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        gateway = withToken(created.json().get("value").asString());
        http().delete("/api/v1/hooks/registry/x");
        Http.Response hook = http().post("/api/v1/hooks/registry", "{\"name\": \"x\"}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        hookSecret = withToken(hook.json().get("secret").asString());
    }

    private Http token(String name, String grant) {
        Http.Response created = http().post("/api/v1/tokens", "{\"name\": \"" + name + "-" + suffix + "\", \"grants\": [" + grant + "]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return withToken(created.json().get("value").asString());
    }

    private Http withToken(String value) {
        return anonymous().header("Authorization", "Bearer " + value);
    }

    /** The console's page under its screens' addresses: open, since it holds no data. */
    private static final Set<String> CONSOLE_SCREENS = Set.of("/services", "/services/new", "/services/{namespace}/{name}",
            "/services/{namespace}/{name}/revisions/{revision}/logs", "/audit", "/history", "/clusters", "/admin/tokens", "/admin/users");

    static Rule ruleFor(String pattern, RequestMethod method) {
        if (pattern.startsWith("/api/v1/session") || pattern.equals("/error") || pattern.startsWith("/v3/api-docs")
                || pattern.startsWith("/swagger-ui") || CONSOLE_SCREENS.contains(pattern)) {
            return Rule.OPEN;
        }
        if (pattern.startsWith("/api/v1/namespaces/{namespace}/")) {
            return Rule.NAMESPACED;
        }
        if ((pattern.equals("/api/v1/services") || pattern.equals("/api/v1/services/changes")) && method == RequestMethod.GET) {
            return Rule.SERVICE_OVERVIEW;
        }
        if (pattern.equals("/api/v1/audit")) {
            return Rule.AUDIT;
        }
        if (pattern.equals("/api/v1/audit/verify") || pattern.equals("/api/v1/audit/checkpoints")
                || pattern.equals("/api/v1/control-plane")) {
            return Rule.STAR_VIEWER;
        }
        if (pattern.equals("/api/v1/hooks/registry/{name}") && method == RequestMethod.POST) {
            return Rule.HOOK_SECRET;
        }
        if (pattern.startsWith("/api/v1/users") || pattern.startsWith("/api/v1/tokens") || pattern.startsWith("/api/v1/clusters")
                || pattern.startsWith("/api/v1/secrets") || pattern.startsWith("/api/v1/hooks")) {
            return Rule.STAR_ADMIN;
        }
        if (pattern.equals("/internal/v1/routing") && method == RequestMethod.GET) {
            return Rule.ROUTING_FEED;
        }
        if (pattern.startsWith("/internal/v1/") && method == RequestMethod.POST) {
            return Rule.GATEWAY;
        }
        return null;
    }

    record Call(RequestMethod method, String pattern) {
        String path(String namespace) {
            return pattern.replace("{namespace}", namespace).replaceAll("\\{[^}]+}", "x");
        }

        boolean safe() {
            return method == RequestMethod.GET || method == RequestMethod.HEAD;
        }

        Http.Response send(Http as, String namespace) {
            return safe() || method == RequestMethod.DELETE ? as.send(method.name(), path(namespace), null, null)
                    : as.send(method.name(), path(namespace), "{}", "application/json");
        }
    }

    private List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    if (ruleFor(pattern, method) == null) {
                        unknown.add(method + " " + pattern + " (" + handler + ")");
                    }
                    calls.add(new Call(method, pattern));
                }
            }
        });
        if (!unknown.isEmpty()) {
            fail("These mappings have no rule in DenyByDefaultTest.ruleFor; decide who may call them: " + unknown);
        }
        assertThat(calls).hasSizeGreaterThan(20);
        return calls;
    }

    @Test
    void everyMappingHasARule() {
        calls();
    }

    @Test
    void anAnonymousCallIsAskedToAuthenticate() {
        for (Call call : calls()) {
            if (ruleFor(call.pattern(), call.method()) == Rule.OPEN) {
                continue;
            }
            Http.Response response = call.send(anonymous(), NS);
            assertThat(response.status()).as(call + " " + response).isEqualTo(401);
            assertThat(response.contentType()).as(call.toString()).startsWith("application/problem+json");
        }
    }

    @Test
    void aRoleTooSmallIsRefused() {
        for (Call call : calls()) {
            Rule rule = ruleFor(call.pattern(), call.method());
            Http tooSmall = switch (rule) {
                case OPEN -> null;
                case NAMESPACED -> call.safe() ? gateway
                        : call.pattern().contains("/registry-credentials") ? deployer : viewer;
                case SERVICE_OVERVIEW -> gateway;
                case AUDIT, STAR_VIEWER -> viewer;
                case STAR_ADMIN -> namespaceAdmin;
                case ROUTING_FEED -> starViewer;
                case GATEWAY -> http();
                // No role is too small or large for it: an API token, even an admin's, is simply not the secret (401).
                case HOOK_SECRET -> null;
            };
            if (tooSmall == null) {
                continue;
            }
            Http.Response response = call.send(tooSmall, NS);
            assertThat(response.status()).as(call + " " + response).isEqualTo(403);
            assertThat(response.contentType()).as(call.toString()).startsWith("application/problem+json");
        }
    }

    @Test
    void anotherNamespaceIsRefused() {
        for (Call call : calls()) {
            if (ruleFor(call.pattern(), call.method()) == Rule.NAMESPACED) {
                Http.Response response = call.send(otherNamespaceAdmin, NS);
                assertThat(response.status()).as(call + " " + response).isEqualTo(403);
                assertThat(response.json().get("detail").asString()).contains("no role in namespace '" + NS + "'");
            }
        }
    }

    @Test
    void theRightRoleGetsPastTheDoor() {
        for (Call call : calls()) {
            Http enough = switch (ruleFor(call.pattern(), call.method())) {
                case OPEN -> http();
                case NAMESPACED -> call.safe() ? viewer : call.pattern().contains("/registry-credentials") ? namespaceAdmin : deployer;
                case SERVICE_OVERVIEW -> viewer;
                case AUDIT, STAR_VIEWER -> starViewer;
                case STAR_ADMIN, ROUTING_FEED -> http();
                case GATEWAY -> gateway;
                case HOOK_SECRET -> hookSecret;
            };
            if (call.method() == RequestMethod.POST && call.pattern().equals("/api/v1/session")) {
                continue; // signing in needs the CSRF cookie; SessionSignInTest covers it
            }
            Http.Response response = call.send(enough, NS);
            assertThat(response.status()).as(call + " " + response).isNotIn(401, 403);
        }
    }
}
