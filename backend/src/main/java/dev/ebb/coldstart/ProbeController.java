package dev.ebb.coldstart;

import dev.ebb.audit.RequestActors;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Measures a revision's cold starts on request: scale to zero, one request, repeat. */
@RestController
class ProbeController {

    private final ColdStartProbe probe;

    ProbeController(ColdStartProbe probe) {
        this.probe = probe;
    }

    /** 200 with every run and their percentiles once all runs are done; takes as long as the cold starts do. */
    @PostMapping("/api/v1/namespaces/{namespace}/services/{name}/coldstart-probe")
    ProbeResult probe(@PathVariable String namespace, @PathVariable String name, @RequestBody(required = false) ProbeBody body,
            HttpServletRequest request) {
        return probe.probe(namespace, name, body, RequestActors.of(request));
    }
}
