package dev.ebb.rollout;

import dev.ebb.audit.RequestActors;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A service's latest rollout, and what a person may do to the one in progress. */
@RestController
@RequestMapping("/api/v1/namespaces/{namespace}/services/{name}/rollout")
class RolloutController {

    private final Rollouts rollouts;

    RolloutController(Rollouts rollouts) {
        this.rollouts = rollouts;
    }

    /** Progress: the step, the percent, each step's figures and decision, and the reason for the state. */
    @GetMapping
    RolloutView get(@PathVariable String namespace, @PathVariable String name) {
        return rollouts.get(namespace, name);
    }

    /** {@code pause}, {@code resume}, {@code promote} (all the traffic to the new revision now) or {@code abort} (all back). */
    @PostMapping
    RolloutView act(@PathVariable String namespace, @PathVariable String name, @RequestBody(required = false) RolloutAction body,
            HttpServletRequest request) {
        return rollouts.act(namespace, name, body, RequestActors.of(request));
    }
}
