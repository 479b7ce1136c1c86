package dev.ebb.audit;

import dev.ebb.web.ContinueToken;
import dev.ebb.web.ListPage;
import dev.ebb.web.Rfc3339;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Searches the audit trail, newest first, and verifies its hash chain. */
@RestController
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
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

    @GetMapping("/api/v1/audit/verify")
    ChainReport verify() {
        return audit.verify();
    }
}
