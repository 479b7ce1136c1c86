package dev.ebb.security;

import dev.ebb.identity.Tokens;
import dev.ebb.identity.Users;
import dev.ebb.web.ProblemWriter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who may call what. Automation presents {@code Authorization: Bearer <token>}; people sign in with
 * {@code POST /api/v1/session} and then carry a session cookie, and every change they send must also carry the
 * CSRF token (the {@code XSRF-TOKEN} cookie's value in an {@code X-XSRF-TOKEN} header), or through their identity
 * provider when OpenID Connect is configured ({@link OidcConfiguration}). What each caller may do
 * is {@link AccessPolicy}'s decision. Health, the OpenAPI document and the dashboard's static files are open, and so
 * are registries' deliveries to a registry hook ({@link HookDeliveries}), which prove themselves with the hook's own
 * secret; anything not listed here is refused.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String SESSION_COOKIE = "EBB_SESSION";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    SessionSupport sessionSupport(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        LoginFailureStore failures = new LoginFailureStore(jdbc, new TransactionTemplate(transactions));
        CookieCsrfTokenRepository csrf = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrf.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        return new SessionSupport(
                new CompositeSessionAuthenticationStrategy(List.of(new ChangeSessionIdAuthenticationStrategy(),
                        new CsrfAuthenticationStrategy(csrf))),
                new HttpSessionSecurityContextRepository(), csrf,
                new LoginThrottle(failures, 5, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)),
                new LoginThrottle(failures, 20, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)));
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, Tokens tokens, Users users, SessionSupport sessions, ProblemWriter problems,
            ObjectProvider<OidcSettings> oidc) throws Exception {
        OidcSettings provider = oidc.getIfAvailable();
        if (provider != null) {
            // /oauth2/authorization/oidc starts the flow, /login/oauth2/code/oidc ends it; both are filters, not endpoints.
            http.oauth2Login(login -> login
                    .loginPage("/")
                    .successHandler(new OidcSignIn(users, sessions.contexts(), provider.usernameClaim()))
                    .failureHandler((request, response, e) -> response.sendRedirect("/?signin=failed")));
        }
        http
                .csrf(csrf -> csrf
                        .spa()
                        .csrfTokenRepository(sessions.csrfTokens())
                        .sessionAuthenticationStrategy(sessions.sessionStrategy())
                        .requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrfToken))
                .securityContext(context -> context.securityContextRepository(sessions.contexts()))
                .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .addFilterBefore(new SessionLoadingFilter(problems), SecurityContextHolderFilter.class)
                .addFilterAfter(new SessionCallerFilter(users), SecurityContextHolderFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            problems.write(request, response, 401, "unauthorized", "Unauthorized",
                                    "Sign in (POST /api/v1/session) or send 'Authorization: Bearer <token>'");
                        })
                        .accessDeniedHandler((request, response, e) -> {
                            if (e instanceof CsrfException) {
                                problems.write(request, response, 403, "csrf", "Forbidden", "A change sent with a session cookie "
                                        + "must carry the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header");
                            } else {
                                problems.write(request, response, 403, "forbidden", "Forbidden", reason(e));
                            }
                        }))
                .authorizeHttpRequests(auth -> auth
                        // A streamed response (logs with follow=true) finishes in an async dispatch of a request
                        // that was already authorized.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        // The error page only describes a failure the original request already met, whatever its method.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/api/v1/session", "/api/v1/session/options").permitAll()
                        .requestMatchers("/api/v1/namespaces/{namespace}/{resource}", "/api/v1/namespaces/{namespace}/{resource}/**")
                        .access(AccessRules.rule(context -> caller -> AccessPolicy.namespaced(caller, context.getRequest().getMethod(),
                                context.getVariables().get("namespace"), context.getVariables().get("resource"))))
                        .requestMatchers(HttpMethod.GET, "/api/v1/services", "/api/v1/services/changes")
                        .access(AccessRules.rule(context -> caller -> AccessPolicy.serviceOverview(caller,
                                context.getRequest().getParameter("namespace"))))
                        .requestMatchers(HttpMethod.GET, "/api/v1/control-plane")
                        .access(AccessRules.rule(context -> AccessPolicy::controlPlane))
                        .requestMatchers(HttpMethod.GET, "/api/v1/audit/verify", "/api/v1/audit/checkpoints")
                        .access(AccessRules.rule(context -> AccessPolicy::auditVerification))
                        .requestMatchers(HttpMethod.GET, "/api/v1/audit")
                        .access(AccessRules.rule(context -> caller -> AccessPolicy.audit(caller, context.getRequest().getParameter("namespace"))))
                        // A registry's delivery proves itself with the hook's secret, which the hook's handler checks.
                        .requestMatchers(HookDeliveries::matches).permitAll()
                        .requestMatchers("/api/v1/users", "/api/v1/users/**", "/api/v1/tokens", "/api/v1/tokens/**",
                                "/api/v1/clusters", "/api/v1/clusters/**", "/api/v1/secrets/**", "/api/v1/hooks/**")
                        .access(AccessRules.rule(context -> AccessPolicy::administration))
                        .requestMatchers(HttpMethod.GET, "/internal/v1/routing").access(AccessRules.rule(context -> AccessPolicy::routingFeed))
                        .requestMatchers(HttpMethod.POST, "/internal/v1/load", "/internal/v1/demand", "/internal/v1/coldstarts",
                                "/internal/v1/coldstarts/batch")
                        .access(AccessRules.rule(context -> AccessPolicy::gatewayReports))
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/prometheus").access(AccessRules.rule(context -> AccessPolicy::metrics))
                        .requestMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/assets/**", "/favicon.svg", "/error").permitAll()
                        // The console's screens are its one page under other addresses; their data comes from the API.
                        .requestMatchers(HttpMethod.GET, "/services", "/services/new", "/services/*/*", "/services/*/*/revisions/*/logs",
                                "/audit", "/history", "/clusters", "/admin/tokens", "/admin/users")
                        .permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }

    /**
     * A change needs the CSRF token when a browser could send it on its own: when it rides on a session cookie, and
     * the sign-in itself (so that nobody can sign a victim in to an attacker's account). A bearer token is never sent
     * by a browser on its own, and a request with neither cookie nor token has no authority to borrow.
     */
    private static boolean needsCsrfToken(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod()) || BearerTokenFilter.presentsToken(request)
                || HookDeliveries.matches(request)) {
            return false;
        }
        return request.getRequestedSessionId() != null
                || ("POST".equals(request.getMethod()) && "/api/v1/session".equals(request.getRequestURI()));
    }

    private static String reason(Exception e) {
        if (e instanceof AuthorizationDeniedException denied && denied.getAuthorizationResult() instanceof AccessRules.Denied why) {
            return why.reason();
        }
        return "You may not do this";
    }

    /** No users from Spring Boot's defaults: an empty store stops it from generating a password. */
    @Bean
    UserDetailsService noDefaultUser() {
        return new InMemoryUserDetailsManager();
    }
}
