package dev.ebb.security;

import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/** The pieces of Spring Security that the sign-in endpoint shares with the filter chain. */
record SessionSupport(SessionAuthenticationStrategy sessionStrategy, SecurityContextRepository contexts,
        CsrfTokenRepository csrfTokens, LoginThrottle byUser, LoginThrottle byAddress) {
}
