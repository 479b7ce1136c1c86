package dev.ebb.security;

import dev.ebb.access.Caller;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the request this thread serves, if one authenticated. */
final class CurrentCaller {

    private CurrentCaller() {
    }

    static Optional<Caller> get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof CallerAuthentication caller ? Optional.of(caller.caller()) : Optional.empty();
    }
}
