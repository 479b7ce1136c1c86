package dev.ebb.security;

import dev.ebb.access.Caller;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An authenticated {@link Caller}; its name is the audit trail's actor. */
final class CallerAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final Caller caller;
    /** How the caller proved who it is: {@code session} or {@code token}. */
    private final String method;

    CallerAuthentication(Caller caller, String method) {
        super(List.of());
        this.caller = caller;
        this.method = method;
        setAuthenticated(true);
    }

    Caller caller() {
        return caller;
    }

    boolean viaSession() {
        return "session".equals(method);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.name();
    }
}
