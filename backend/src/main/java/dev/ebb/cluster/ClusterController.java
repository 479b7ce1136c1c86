package dev.ebb.cluster;

import dev.ebb.audit.RequestActors;
import dev.ebb.web.ListPage;
import dev.ebb.web.Preconditions;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST API of clusters. */
@RestController
@RequestMapping("/api/v1/clusters")
class ClusterController {

    private final Clusters clusters;
    private final ObjectProvider<ClusterStates> states;
    private final ObjectProvider<ClusterGateways> gateways;

    ClusterController(Clusters clusters, ObjectProvider<ClusterStates> states, ObjectProvider<ClusterGateways> gateways) {
        this.clusters = clusters;
        this.states = states;
        this.gateways = gateways;
    }

    /** The cluster with its status now, as this control plane drives it, and what its gateways report. */
    private ClusterView now(ClusterView view) {
        ClusterGateways reported = gateways.getIfAvailable(() -> ClusterGateways.NONE);
        return view.withStatus(states.getIfAvailable(() -> ClusterStates.NONE).status(view.name())
                .map(status -> status.withGateways(reported.of(view.name()))).orElse(null));
    }

    @PostMapping
    ResponseEntity<ClusterView> create(@RequestBody ClusterSpec spec, HttpServletRequest request) {
        Clusters.Stored stored = clusters.create(spec, RequestActors.of(request));
        return ResponseEntity.created(URI.create("/api/v1/clusters/" + stored.view().name()))
                .eTag(Preconditions.etag(stored.resourceVersion()))
                .body(now(stored.view()));
    }

    @GetMapping
    ListPage<ClusterView> list(@RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        ListPage<ClusterView> page = clusters.list(continueToken, limit);
        return new ListPage<>(page.items().stream().map(this::now).toList(), page.continueToken());
    }

    @GetMapping("/{name}")
    ResponseEntity<ClusterView> get(@PathVariable String name) {
        return withEtag(clusters.get(name));
    }

    @PutMapping("/{name}")
    ResponseEntity<ClusterView> replace(@PathVariable String name, @RequestBody ClusterSpec spec,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest request) {
        return withEtag(clusters.replace(name, spec, ifMatch, RequestActors.of(request)));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest request) {
        clusters.delete(name, ifMatch, RequestActors.of(request));
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<ClusterView> withEtag(Clusters.Stored stored) {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (stored.resourceVersion() != null) {
            ok.eTag(Preconditions.etag(stored.resourceVersion()));
        }
        return ok.body(now(stored.view()));
    }
}
