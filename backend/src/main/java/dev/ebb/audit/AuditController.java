package dev.ebb.audit;

import dev.ebb.web.ContinueToken;
import dev.ebb.web.ListPage;
import dev.ebb.web.Rfc3339;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Searches the audit trail, newest first, and verifies its hash chain. */
@RestController
class AuditController {

    private final AuditLog audit;
    private final AuditCheckpoints checkpoints;

    AuditController(AuditLog audit, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/api/v1/audit")
    ListPage<AuditEventView> search(@RequestParam(required = false) String namespace,
            @RequestParam(required = false) String service, @RequestParam(required = false) String actor,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        int size = ContinueToken.limit(limit);
        long before = ContinueToken.decodeNumber(continueToken, Long.MAX_VALUE);
        AuditQuery query = new AuditQuery(namespace, service, actor, Rfc3339.parse("since", since), Rfc3339.parse("until", until),
                before == Long.MAX_VALUE ? null : before, size);
        return ListPage.ofOverfetched(audit.search(query), size, event -> Long.toString(event.id()));
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
