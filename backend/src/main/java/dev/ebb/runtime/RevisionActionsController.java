package dev.ebb.runtime;

import dev.ebb.audit.RequestActors;
import dev.ebb.revision.RevisionView;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Stops and retries revisions: 200 with the revision as it is afterwards. */
@RestController
@RequestMapping("/api/v1/namespaces/{namespace}/services/{name}/revisions/{revision}")
class RevisionActionsController {

    private final RevisionActions actions;

    RevisionActionsController(RevisionActions actions) {
        this.actions = actions;
    }

    @PostMapping("/stop")
    RevisionView stop(@PathVariable String namespace, @PathVariable String name, @PathVariable String revision,
            HttpServletRequest request) {
        return actions.stop(namespace, name, revision, RequestActors.of(request));
    }

    @PostMapping("/retry")
    RevisionView retry(@PathVariable String namespace, @PathVariable String name, @PathVariable String revision,
            HttpServletRequest request) {
        return actions.retry(namespace, name, revision, RequestActors.of(request));
    }
}
