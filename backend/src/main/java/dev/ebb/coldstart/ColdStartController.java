package dev.ebb.coldstart;

import dev.ebb.web.Rfc3339;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A service's cold starts: per-revision percentiles against its SLO, and the events phase by phase. */
@RestController
class ColdStartController {

    private final ColdStartReport report;

    ColdStartController(ColdStartReport report) {
        this.report = report;
    }

    @GetMapping("/api/v1/namespaces/{namespace}/services/{name}/coldstarts")
    ColdStartsView coldStarts(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(required = false) String since, @RequestParam(required = false) String revision,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        ColdStartStore.Query query = new ColdStartStore.Query(namespace, name, revision, Rfc3339.parse("since", since));
        return report.read(query, limit, continueToken);
    }
}
