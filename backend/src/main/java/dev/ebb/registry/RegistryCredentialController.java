package dev.ebb.registry;

import dev.ebb.audit.RequestActors;
import dev.ebb.web.ListPage;
import dev.ebb.web.Preconditions;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
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

/** The REST API of a namespace's registry credentials. */
@RestController
@RequestMapping("/api/v1/namespaces/{namespace}/registry-credentials")
class RegistryCredentialController {

    private final RegistryCredentials credentials;

    RegistryCredentialController(RegistryCredentials credentials) {
        this.credentials = credentials;
    }

    @PostMapping
    ResponseEntity<RegistryCredentialView> create(@PathVariable String namespace, @RequestBody RegistryCredentialSpec spec,
            HttpServletRequest request) {
        RegistryCredentials.Stored stored = credentials.create(namespace, spec, RequestActors.of(request));
        return ResponseEntity.created(URI.create("/api/v1/namespaces/" + namespace + "/registry-credentials/"
                        + stored.view().name()))
                .eTag(Preconditions.etag(stored.resourceVersion()))
                .body(stored.view());
    }

    @GetMapping
    ListPage<RegistryCredentialView> list(@PathVariable String namespace, @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken) {
        return credentials.list(namespace, continueToken, limit);
    }

    @GetMapping("/{name}")
    ResponseEntity<RegistryCredentialView> get(@PathVariable String namespace, @PathVariable String name) {
        return withEtag(credentials.get(namespace, name));
    }

    @PutMapping("/{name}")
    ResponseEntity<RegistryCredentialView> replace(@PathVariable String namespace, @PathVariable String name,
            @RequestBody RegistryCredentialSpec spec,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest request) {
        return withEtag(credentials.replace(namespace, name, spec, ifMatch, RequestActors.of(request)));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String namespace, @PathVariable String name,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest request) {
        credentials.delete(namespace, name, ifMatch, RequestActors.of(request));
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<RegistryCredentialView> withEtag(RegistryCredentials.Stored stored) {
        return ResponseEntity.ok().eTag(Preconditions.etag(stored.resourceVersion())).body(stored.view());
    }
}
