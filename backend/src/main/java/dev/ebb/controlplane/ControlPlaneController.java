package dev.ebb.controlplane;

import dev.ebb.leadership.Leadership;
import dev.ebb.routing.RoutingPublisher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/control-plane}: which replica answered, which leads, and the gateways it feeds. */
@RestController
class ControlPlaneController {

    private final Leadership leadership;
    private final RoutingPublisher routing;

    ControlPlaneController(Leadership leadership, RoutingPublisher routing) {
        this.leadership = leadership;
        this.routing = routing;
    }

    @GetMapping("/api/v1/control-plane")
    ControlPlaneView get() {
        return new ControlPlaneView(leadership.replica(), leadership.leads(),
                leadership.leader().map(l -> new ControlPlaneView.Leader(l.replica(), l.since())).orElse(null), routing.waiting());
    }
}
