package dev.ebb.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * A registry's delivery to a registry hook, {@code POST /api/v1/hooks/registry/{name}}: authenticated by the hook's
 * secret (as a bearer token or an HMAC of the body) in the hook's handler, not by an API token or a session, and never
 * sent by a browser with a session cookie to borrow, so it needs no CSRF token.
 */
final class HookDeliveries {

    private static final Pattern PATH = Pattern.compile("/api/v1/hooks/registry/[^/]+");

    private HookDeliveries() {
    }

    static boolean matches(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && PATH.matcher(request.getRequestURI()).matches();
    }
}
