package dev.ebb.security;

import dev.ebb.access.Caller;
import dev.ebb.identity.GrantSpec;
import dev.ebb.identity.Users;
import dev.ebb.problem.EbbException;
import dev.ebb.problem.TooManyRequestsException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign-in for the dashboard: {@code POST} checks a username and password and starts a session (a new session id,
 * so a planted one is worthless, and a new CSRF token), {@code GET} says who is signed in, {@code DELETE} signs out.
 * Wrong passwords are throttled per username and per source address.
 */
@RestController
@RequestMapping("/api/v1/session")
class SessionController {

    private static final Logger log = LoggerFactory.getLogger(SessionController.class);

    /** What a sign-in sends; anything else is refused with the nearest field name. */
    record SignIn(String username, String password) {
        @Override
        public String toString() {
            return "SignIn[username=" + username + "]";
        }
    }

    /** Who is calling and with which roles. */
    record SessionView(String name, String kind, String via, List<GrantSpec> grants) {
        static SessionView of(CallerAuthentication authentication) {
            Caller caller = authentication.caller();
            return new SessionView(caller.name(), caller.kind().name().toLowerCase(java.util.Locale.ROOT),
                    authentication.viaSession() ? "session" : "token", caller.grants().stream().map(GrantSpec::of).toList());
        }
    }

    private final Users users;
    private final SessionAuthenticationStrategy sessionStrategy;
    private final SecurityContextRepository contexts;
    private final CsrfTokenRepository csrfTokens;
    private final LoginThrottle byUser;
    private final LoginThrottle byAddress;
    private final Clock clock;
    private final ObjectProvider<OidcSettings> oidc;

    SessionController(Users users, SessionSupport support, Clock clock, ObjectProvider<OidcSettings> oidc) {
        this.oidc = oidc;
        this.users = users;
        this.sessionStrategy = support.sessionStrategy();
        this.contexts = support.contexts();
        this.csrfTokens = support.csrfTokens();
        this.byUser = support.byUser();
        this.byAddress = support.byAddress();
        this.clock = clock;
    }

    /** How one may sign in here: always with a password, and through the identity provider when one is configured. */
    record SignInOptions(boolean password, Provider oidc) {
        record Provider(String label, String signInUrl) {
        }
    }

    @GetMapping("/options")
    SignInOptions options() {
        OidcSettings provider = oidc.getIfAvailable();
        return new SignInOptions(true, provider == null ? null
                : new SignInOptions.Provider(provider.label(), "/oauth2/authorization/" + OidcSettings.REGISTRATION));
    }

    @GetMapping
    SessionView current() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication authentication) {
            return SessionView.of(authentication);
        }
        throw new Unauthenticated("unauthorized", "Unauthorized", "Nobody is signed in; POST /api/v1/session signs in");
    }

    @PostMapping
    SessionView signIn(@RequestBody SignIn signIn, HttpServletRequest request, HttpServletResponse response) {
        Instant now = clock.instant();
        String userKey = "user:" + signIn.username();
        String addressKey = "address:" + request.getRemoteAddr();
        Optional<Duration> wait = longest(byUser.lockedFor(userKey, now), byAddress.lockedFor(addressKey, now));
        if (wait.isPresent()) {
            throw tooMany(wait.get());
        }
        Optional<Caller> caller = users.signIn(signIn.username(), signIn.password());
        if (caller.isEmpty()) {
            Optional<Duration> locked = longest(byUser.failed(userKey, now), byAddress.failed(addressKey, now));
            log.info("Failed sign-in for '{}' from {}", printable(signIn.username()), request.getRemoteAddr());
            if (locked.isPresent()) {
                throw tooMany(locked.get());
            }
            // One answer to a wrong username and to a wrong password, so that neither reveals which users exist.
            throw new Unauthenticated("sign-in-failed", "Sign-in failed", "The username or the password is wrong");
        }
        byUser.succeeded(userKey);
        byAddress.succeeded(addressKey);
        CallerAuthentication authentication = new CallerAuthentication(caller.get(), "session");
        request.getSession(true);
        sessionStrategy.onAuthentication(authentication, request, response);
        // The strategy replaced the CSRF token; load the new one now so that its cookie goes out with this answer.
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken csrf) {
            csrf.getToken();
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return SessionView.of(authentication);
    }

    @DeleteMapping
    ResponseEntity<Void> signOut(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        csrfTokens.saveToken(null, request, response);
        // The session is over on the server already; the browser need not keep presenting its id.
        Cookie expired = new Cookie(SecurityConfiguration.SESSION_COOKIE, "");
        expired.setPath("/");
        expired.setMaxAge(0);
        expired.setHttpOnly(true);
        expired.setSecure(request.isSecure());
        response.addCookie(expired);
        return ResponseEntity.noContent().build();
    }

    /** What someone typed, safe for a log line: no line breaks to forge entries with, and not endless. */
    private static String printable(String typed) {
        if (typed == null) {
            return null;
        }
        String flat = typed.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 100 ? flat.substring(0, 100) + "..." : flat;
    }

    private static TooManyRequestsException tooMany(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new TooManyRequestsException("Too many wrong passwords; try again in " + seconds + " s", Duration.ofSeconds(seconds));
    }

    @SafeVarargs
    private static Optional<Duration> longest(Optional<Duration>... waits) {
        Optional<Duration> longest = Optional.empty();
        for (Optional<Duration> wait : waits) {
            if (wait.isPresent() && (longest.isEmpty() || wait.get().compareTo(longest.get()) > 0)) {
                longest = wait;
            }
        }
        return longest;
    }

    /** A 401 from the controller rather than from the filter chain. */
    static final class Unauthenticated extends EbbException {
        Unauthenticated(String type, String title, String detail) {
            super(401, type, title, detail, List.of());
        }
    }
}
