package dev.ebb.security;

import dev.ebb.access.Caller;
import dev.ebb.access.Permission;
import dev.ebb.problem.ForbiddenException;
import dev.ebb.service.PublishPermission;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The caller may make a service public when an admin role, or a deployer role with {@code publish}, covers its namespace. */
@Component
class CallerPublishPermission implements PublishPermission {

    @Override
    public void require(String namespace, String service) {
        Optional<Caller> caller = CurrentCaller.get();
        if (caller.isEmpty() || !caller.get().may(Permission.PUBLISH, namespace)) {
            throw new ForbiddenException("Making service '" + service + "' public needs the role admin in namespace '" + namespace
                    + "', or deployer with \"publish\": true; keep \"visibility\": \"cluster-local\" or ask an admin");
        }
    }
}
