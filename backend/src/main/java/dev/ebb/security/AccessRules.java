package dev.ebb.security;

import dev.ebb.access.Caller;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Adapts {@link AccessPolicy} to Spring Security: anonymous callers are refused (and so asked to authenticate). */
final class AccessRules {

    /** A refusal that carries the policy's sentence to the access-denied handler. */
    static final class Denied extends AuthorizationDecision {
        private final String reason;

        Denied(String reason) {
            super(false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private AccessRules() {
    }

    static AuthorizationManager<RequestAuthorizationContext> rule(
            Function<RequestAuthorizationContext, Function<Caller, AccessPolicy.Decision>> policy) {
        return (Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) -> decide(authentication, context, policy);
    }

    private static AuthorizationResult decide(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context,
            Function<RequestAuthorizationContext, Function<Caller, AccessPolicy.Decision>> policy) {
        if (!(authentication.get() instanceof CallerAuthentication caller)) {
            return new AuthorizationDecision(false);
        }
        AccessPolicy.Decision decision = policy.apply(context).apply(caller.caller());
        return decision.allowed() ? new AuthorizationDecision(true) : new Denied(decision.reason());
    }
}
