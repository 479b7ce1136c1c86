package dev.ebb.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

class RequestActorsTest {

    @AfterEach
    void forgetTheAuthentication() {
        SecurityContextHolder.clearContext();
    }

    private static void authenticatedAs(String name) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(name, null, List.of()));
    }

    @Test
    void aBearerTokenIsTheCredentialUnderItsIdentity() {
        authenticatedAs("token:ci");
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/namespaces/ml/services");
        request.addHeader("Authorization", "Bearer s3cret");
        request.addHeader("User-Agent", "curl/8.5.0");
        request.addHeader(RequestActors.CHANGE_CAUSE_HEADER, "release 42");
        request.setRemoteAddr("10.0.0.7");

        Actor actor = RequestActors.of(request);

        assertThat(actor).isEqualTo(new Actor("token:ci", "token:ci", null, "10.0.0.7", "curl/8.5.0", "release 42"));
    }

    @Test
    void aSessionIsRecordedByADigestOfItsIdAndNeverTheIdItself() {
        authenticatedAs("alice");
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/api/v1/namespaces/ml/services/a");
        String sessionId = "9C1E6F0A3B7D4E2F8A5C1D9E0B6F3A72";
        request.setSession(new MockHttpSession(null, sessionId));

        String credential = RequestActors.of(request).credential();

        // The first 16 hex digits of SHA-256("9C1E6F0A3B7D4E2F8A5C1D9E0B6F3A72"), computed with Python's hashlib.
        assertThat(credential).isEqualTo("session:ae35b0c02233e55d").doesNotContain(sessionId);
    }

    @Test
    void aRequestWithNeitherTokenNorSessionHasNoCredential() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/audit");

        Actor actor = RequestActors.of(request);

        assertThat(actor.name()).isEqualTo("anonymous");
        assertThat(actor.credential()).isNull();
        assertThat(actor.userAgent()).isNull();
    }

    @Test
    void aLongUserAgentIsShortened() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/audit");
        request.addHeader("User-Agent", "x".repeat(10_000));

        assertThat(RequestActors.of(request).userAgent()).hasSize(RequestActors.MAX_USER_AGENT);
    }
}
