package dev.ebb.follow;

import dev.ebb.problem.EbbException;
import java.util.List;

/** A delivery to a registry hook without its secret, or with another one (401). */
final class HookUnauthorizedException extends EbbException {

    private static final long serialVersionUID = 1L;

    HookUnauthorizedException(String detail) {
        super(401, "unauthorized", "Unauthorized", detail, List.of());
    }
}
