package dev.ebb.coldstart;

import dev.ebb.audit.RequestActors;
import dev.ebb.web.ListPage;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Keeps a revision warm ahead of traffic, lists what is kept warm and ends it. */
@RestController
@RequestMapping("/api/v1/namespaces/{namespace}/services/{name}/warm")
class WarmController {

    private final Warming warming;

    WarmController(Warming warming) {
        this.warming = warming;
    }

    /** 202: the request is stored at once, and the autoscaler brings the instances up on its next round. */
    @PostMapping
    ResponseEntity<Warm> warm(@PathVariable String namespace, @PathVariable String name,
            @RequestBody(required = false) WarmBody body, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(warming.warm(namespace, name, body, RequestActors.of(request)));
    }

    @GetMapping
    ListPage<Warm> active(@PathVariable String namespace, @PathVariable String name) {
        return new ListPage<>(warming.active(namespace, name), null);
    }

    /** Ends the service's warm requests, only those of {@code revision} when given; 204. */
    @DeleteMapping
    ResponseEntity<Void> end(@PathVariable String namespace, @PathVariable String name,
            @RequestParam(required = false) String revision, HttpServletRequest request) {
        warming.end(namespace, name, revision, RequestActors.of(request));
        return ResponseEntity.noContent().build();
    }
}
