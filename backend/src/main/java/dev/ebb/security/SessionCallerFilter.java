package dev.ebb.security;

import dev.ebb.access.Caller;
import dev.ebb.identity.Users;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A signed-in user acts with the grants they hold now, not the ones they had at sign-in: each request reads them
 * again, and a user who was deleted or disabled meanwhile loses the session on their next request.
 */
class SessionCallerFilter extends OncePerRequestFilter {

    private final Users users;

    SessionCallerFilter(Users users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication signedIn && signedIn.viaSession()) {
            String username = signedIn.caller().name().substring("user:".length());
            Optional<Caller> now = users.current(username);
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            if (now.isPresent()) {
                context.setAuthentication(new CallerAuthentication(now.get(), "session"));
            } else {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
            }
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
