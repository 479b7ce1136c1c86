package dev.ebb.audit;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.web.ContinueToken;
import dev.ebb.web.ListPage;
import dev.ebb.web.Rfc3339;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Searches the audit trail, newest first, and verifies its hash chain. */
@RestController
class AuditController {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z-]*\\.[a-z][a-z-]*");

    private final AuditLog audit;
    private final AuditCheckpoints checkpoints;

    AuditController(AuditLog audit, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/api/v1/audit")
    ListPage<AuditEventView> search(@RequestParam(required = false) String namespace,
            @RequestParam(required = false) String service, @RequestParam(required = false) String actor,
            @RequestParam(name = "action", required = false) List<String> actions, @RequestParam(required = false) String since, @RequestParam(required = false) String until,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        int size = ContinueToken.limit(limit);
        long before = ContinueToken.decodeNumber(continueToken, Long.MAX_VALUE);
        AuditQuery query = new AuditQuery(namespace, service, actor, actionsOf(actions), Rfc3339.parse("since", since),
                Rfc3339.parse("until", until), before == Long.MAX_VALUE ? null : before, size);
        return ListPage.ofOverfetched(audit.search(query), size, event -> Long.toString(event.id()));
    }

    /**
     * The actions asked for, each {@code action=} given once or several times, or comma-separated in one. A name that
     * cannot be an action is refused rather than matching nothing, so a typo does not read as "no such events".
     */
    private static List<String> actionsOf(List<String> given) {
        if (given == null) {
            return List.of();
        }
        List<String> actions = given.stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::trim)
                .filter(value -> !value.isEmpty()).distinct().toList();
        for (String action : actions) {
            if (!ACTION.matcher(action).matches()) {
                throw InvalidInputException.unreadable("action", "'" + action + "' is not an action; actions read like "
                        + "'service.update' or 'traffic.update' (a resource, a dot, a verb), as the events' 'action' shows them");
            }
        }
        return actions;
    }

    /** The chain checked event by event and against the recent checkpoints; an intact head is published as one. */
    @GetMapping("/api/v1/audit/verify")
    ChainReport verify() {
        return checkpoints.verify();
    }

    /** The chain heads published outside the database, newest first, for an external system to record. */
    @GetMapping("/api/v1/audit/checkpoints")
    List<AuditCheckpoints.Checkpoint> checkpoints() {
        return checkpoints.recent();
    }
}
