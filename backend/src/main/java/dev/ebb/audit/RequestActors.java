package dev.ebb.audit;

import dev.ebb.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Builds the audit {@link Actor} of the current request from its authentication and headers. */
public final class RequestActors {

    public static final String CHANGE_CAUSE_HEADER = "Ebb-Change-Cause";
    private static final int MAX_CHANGE_CAUSE = 1024;

    private RequestActors() {
    }

    public static Actor of(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String name = authentication == null ? "anonymous" : authentication.getName();
        String cause = request.getHeader(CHANGE_CAUSE_HEADER);
        if (cause != null && cause.length() > MAX_CHANGE_CAUSE) {
            cause = cause.substring(0, MAX_CHANGE_CAUSE);
        }
        return new Actor(name, RequestIdFilter.requestId(request), request.getRemoteAddr(), cause);
    }
}
