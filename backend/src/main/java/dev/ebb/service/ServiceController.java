package dev.ebb.service;

import dev.ebb.audit.RequestActors;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.revision.RevisionDiffView;
import dev.ebb.revision.RevisionView;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.web.ListPage;
import dev.ebb.web.Preconditions;
import dev.ebb.web.Rfc3339;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The REST API of services, their traffic and their revisions. */
@RestController
@RequestMapping("/api/v1/namespaces/{namespace}/services")
class ServiceController {

    private final ServiceCatalog catalog;
    private final Clock clock;

    ServiceController(ServiceCatalog catalog, Clock clock) {
        this.clock = clock;
        this.catalog = catalog;
    }

    @PostMapping
    ResponseEntity<ServiceView> create(@PathVariable String namespace, @RequestBody ServiceSpec spec, HttpServletRequest request) {
        ServiceCatalog.Stored stored = catalog.create(namespace, spec, RequestActors.of(request));
        return ResponseEntity.created(URI.create("/api/v1/namespaces/" + namespace + "/services/" + stored.view().name()))
                .eTag(Preconditions.etag(stored.resourceVersion()))
                .body(stored.view());
    }

    @GetMapping
    ListPage<ServiceView> list(@PathVariable String namespace, @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        return catalog.list(namespace, continueToken, limit);
    }

    /** The service now, or with {@code at} (RFC 3339) as it was stored at that instant. */
    @GetMapping("/{name}")
    ResponseEntity<?> get(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(required = false) String at) {
        if (at != null) {
            Instant instant = Rfc3339.parse("at", at);
            Instant now = clock.instant();
            if (instant.isAfter(now)) {
                throw InvalidInputException.unreadable("at", "'" + at + "' is in the future (it is " + now + " here); ask for an "
                        + "instant up to now, or leave 'at' out for the service as it is now");
            }
            return ResponseEntity.ok(catalog.getAt(namespace, name, instant));
        }
        return withEtag(catalog.get(namespace, name));
    }

    @PutMapping("/{name}")
    ResponseEntity<ServiceView> replace(@PathVariable String namespace, @PathVariable String name,
            @RequestBody ServiceSpec spec, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest request) {
        return withEtag(catalog.replace(namespace, name, spec, ifMatch, RequestActors.of(request)));
    }

    @PatchMapping(path = "/{name}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<ServiceView> patch(@PathVariable String namespace, @PathVariable String name,
            @RequestBody JsonNode patch, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest request) {
        return withEtag(catalog.patch(namespace, name, patch, ifMatch, RequestActors.of(request)));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String namespace, @PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest request) {
        catalog.delete(namespace, name, ifMatch, RequestActors.of(request));
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{name}/traffic")
    ResponseEntity<ServiceView> traffic(@PathVariable String namespace, @PathVariable String name,
            @RequestBody TrafficUpdate update, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            HttpServletRequest request) {
        return withEtag(catalog.updateTraffic(namespace, name, update, ifMatch, RequestActors.of(request)));
    }

    @GetMapping("/{name}/revisions")
    ListPage<RevisionView> revisions(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        return catalog.revisions(namespace, name, continueToken, limit);
    }

    @GetMapping("/{name}/revisions/{revision}")
    RevisionView revision(@PathVariable String namespace, @PathVariable String name, @PathVariable String revision) {
        return catalog.revision(namespace, name, revision);
    }

    @GetMapping("/{name}/revisions/{from}/diff/{to}")
    RevisionDiffView diff(@PathVariable String namespace, @PathVariable String name, @PathVariable String from,
            @PathVariable String to) {
        return catalog.diff(namespace, name, from, to);
    }

    private static ResponseEntity<ServiceView> withEtag(ServiceCatalog.Stored stored) {
        return ResponseEntity.ok().eTag(Preconditions.etag(stored.resourceVersion())).body(stored.view());
    }
}
