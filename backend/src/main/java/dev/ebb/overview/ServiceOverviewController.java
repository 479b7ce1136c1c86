package dev.ebb.overview;

import dev.ebb.access.Caller;
import dev.ebb.access.Permission;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.service.LabelSelector;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChange;
import dev.ebb.service.ServiceQuery;
import dev.ebb.web.ContinueToken;
import dev.ebb.web.ListPage;
import dev.ebb.web.QueryParameters;
import dev.ebb.web.Rfc3339;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/services}: the services of every namespace the caller reads, now or at an instant. */
@RestController
class ServiceOverviewController {

    /** A row costs a service view and its revisions, so pages are smaller than elsewhere. */
    static final int MAX_LIMIT = 500;
    private static final Set<String> PARAMETERS = Set.of("namespace", "labelSelector", "q", "limit", "continue", "at");

    /** The changes list is for picking an instant, not for paging through history: the audit trail is for that. */
    static final int MAX_CHANGES = 100;
    private static final Set<String> CHANGES_PARAMETERS = Set.of("namespace", "labelSelector", "q", "limit");

    private final ServiceSummaries summaries;
    private final ServiceCatalog catalog;
    private final Clock clock;

    ServiceOverviewController(ServiceSummaries summaries, ServiceCatalog catalog, Clock clock) {
        this.summaries = summaries;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping("/api/v1/services")
    ServiceSummaryPage list(Caller caller, @RequestParam(required = false) String namespace,
            @RequestParam(required = false) String labelSelector, @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit, @RequestParam(name = "continue", required = false) String continueToken,
            @RequestParam(required = false) String at, HttpServletRequest request) {
        // A misspelt filter would otherwise be ignored, and the dashboard would show every service as if it matched.
        QueryParameters.requireKnown(request.getParameterMap().keySet(), PARAMETERS);
        int size = ContinueToken.limit(limit, MAX_LIMIT);
        ServiceQuery query = new ServiceQuery(caller.mayEverywhere(Permission.READ), caller.namespacesWhere(Permission.READ),
                namespace, LabelSelector.parse(labelSelector), q);
        Instant instant = Rfc3339.parse("at", at);
        if (instant == null) {
            return summaries.now(query, continueToken, size);
        }
        Instant now = clock.instant();
        if (instant.isAfter(now)) {
            throw InvalidInputException.unreadable("at", "'" + at + "' is in the future (it is " + now + " here); ask for an "
                    + "instant up to now, or leave 'at' out for the services as they are now");
        }
        return summaries.at(query, instant, continueToken, size);
    }

    /**
     * The latest changes of the services the caller reads, newest first, with the same filters as the list: the
     * instants at which something changed, spec or observed status, for a look at the past to start from.
     */
    @GetMapping("/api/v1/services/changes")
    ListPage<ServiceChange> changes(Caller caller, @RequestParam(required = false) String namespace,
            @RequestParam(required = false) String labelSelector, @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit, HttpServletRequest request) {
        QueryParameters.requireKnown(request.getParameterMap().keySet(), CHANGES_PARAMETERS);
        int size = ContinueToken.limit(limit, MAX_CHANGES);
        ServiceQuery query = new ServiceQuery(caller.mayEverywhere(Permission.READ), caller.namespacesWhere(Permission.READ),
                namespace, LabelSelector.parse(labelSelector), q);
        return new ListPage<>(catalog.changes(query, size), null);
    }
}
