package dev.ebb.audit;

import dev.ebb.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Builds the audit {@link Actor} of the current request from its authentication and headers. */
public final class RequestActors {

    public static final String CHANGE_CAUSE_HEADER = "Ebb-Change-Cause";
    static final int MAX_CHANGE_CAUSE = 1024;
    static final int MAX_USER_AGENT = 512;
    private static final String BEARER = "Bearer ";
    /** Enough of the session id's digest to tell sessions apart in the trail, and nothing that could resume one. */
    private static final int SESSION_DIGEST_HEX = 16;

    private RequestActors() {
    }

    public static Actor of(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String name = authentication == null ? "anonymous" : authentication.getName();
        return new Actor(name, credential(request, authentication), RequestIdFilter.requestId(request), request.getRemoteAddr(),
                shortened(request.getHeader("User-Agent"), MAX_USER_AGENT),
                shortened(request.getHeader(CHANGE_CAUSE_HEADER), MAX_CHANGE_CAUSE));
    }

    /**
     * The actor of a request that proved who it is by other means than a token or a session (a registry hook's
     * delivery, by the hook's secret): {@code name} acts, with that credential.
     */
    public static Actor acting(HttpServletRequest request, String name) {
        return new Actor(name, name, RequestIdFilter.requestId(request), request.getRemoteAddr(),
                shortened(request.getHeader("User-Agent"), MAX_USER_AGENT), null);
    }

    private static String credential(HttpServletRequest request, Authentication authentication) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authentication == null ? null : authentication.getName();
        }
        HttpSession session = request.getSession(false);
        return session == null ? null : "session:" + sha256Hex(session.getId()).substring(0, SESSION_DIGEST_HEX);
    }

    private static String shortened(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
