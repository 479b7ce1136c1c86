package dev.ebb.security;

import dev.ebb.access.Caller;
import dev.ebb.identity.Users;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * After the provider vouched for someone: signs in the Ebb user of the name it gave (the session then looks exactly
 * like a password sign-in), or sends the browser back to the dashboard with {@code ?signin=refused} when Ebb has no
 * such user.
 */
final class OidcSignIn implements AuthenticationSuccessHandler {

    private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);

    private final Users users;
    private final SecurityContextRepository contexts;
    private final String usernameClaim;

    OidcSignIn(Users users, SecurityContextRepository contexts, String usernameClaim) {
        this.users = users;
        this.contexts = contexts;
        this.usernameClaim = usernameClaim;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        Object claim = authentication.getPrincipal() instanceof OAuth2User user ? user.getAttribute(usernameClaim) : null;
        String username = claim == null ? null : claim.toString().trim().toLowerCase(Locale.ROOT);
        Optional<Caller> caller = username == null || username.isEmpty() ? Optional.empty() : users.signInVouched(username);
        if (caller.isEmpty()) {
            log.info("OpenID Connect sign-in refused: the provider vouched for '{}' (claim {}), which is no enabled Ebb user",
                    username, usernameClaim);
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            response.sendRedirect("/?signin=refused");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller.get(), "session"));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        response.sendRedirect("/");
    }
}
