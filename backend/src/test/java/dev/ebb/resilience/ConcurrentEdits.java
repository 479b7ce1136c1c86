package dev.ebb.resilience;

import dev.ebb.support.Http;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15's scenario 9: writers that each read a service and send their change with the ETag they read, all at once.
 * Every write must either apply (200) or be refused as stale (412); afterwards the stored service, its revisions and the
 * audit trail must tell the same story: one audit event per applied write, the last one's state stored, one revision per
 * applied template change.
 */
final class ConcurrentEdits {

    /** What happened: the writes sent, how they were answered, and whether state and audit agree. */
    record Result(int writers, int writes, Map<Integer, Integer> statuses, int applied, int auditEvents, int revisions,
            int templateChangesApplied, String finalEditor, String lastAuditedEditor, Set<String> appliedEditors,
            Set<String> auditedEditors) {

        boolean everyWriteAppliedOrStale() {
            return statuses.keySet().stream().allMatch(status -> status == 200 || status == 412);
        }

        boolean stateAndAuditAgree() {
            return applied == auditEvents && appliedEditors.equals(auditedEditors) && finalEditor.equals(lastAuditedEditor)
                    && revisions == 1 + templateChangesApplied;
        }
    }

    private ConcurrentEdits() {
    }

    /** Creates {@code name} in {@code namespace}, then lets {@code writers} writers make {@code writesEach} edits each. */
    static Result run(Http http, String namespace, String name, int writers, int writesEach) throws Exception {
        return run(http, namespace, "", name, writers, writesEach);
    }

    /** The same with the service placed by {@code placement}: JSON fields (each followed by a comma) before its template. */
    static Result run(Http http, String namespace, String placement, String name, int writers, int writesEach) throws Exception {
        String path = "/api/v1/namespaces/" + namespace + "/services/" + name;
        Http.Response created = http.post("/api/v1/namespaces/" + namespace + "/services",
                "{\"name\": \"" + name + "\", \"labels\": {\"editor\": \"none\"}, " + placement
                        + "\"template\": {\"image\": \"registry.example/m:1\"}}");
        if (created.status() != 201) {
            throw new IllegalStateException("could not create the service: " + created);
        }
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Set<String> applied = ConcurrentHashMap.newKeySet();
        Set<String> templateChanges = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        String editor = "w" + writer + "-" + i;
                        String etag = http.get(path).header("ETag");
                        // Every fifth edit changes the template too, which makes a revision.
                        boolean template = i % 5 == 4;
                        String patch = "{\"labels\": {\"editor\": \"" + editor + "\"}"
                                + (template ? ", \"template\": {\"env\": {\"EDITOR\": \"" + editor + "\"}}" : "") + "}";
                        int status = http.header("If-Match", etag).patch(path, patch).status();
                        statuses.merge(status, 1, Integer::sum);
                        if (status == 200) {
                            applied.add(editor);
                            if (template) {
                                templateChanges.add(editor);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : running) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> updates = new ArrayList<>();
        String next = "";
        do {
            JsonNode page = http.get("/api/v1/audit?namespace=" + namespace + "&service=" + name + "&limit=500" + next).json();
            page.get("items").forEach(event -> {
                if (event.get("action").asString().equals("service.update")) {
                    updates.add(event);
                }
            });
            JsonNode token = page.path("continue");
            next = token.isMissingNode() || token.isNull() || token.asString().isEmpty() ? null : "&continue=" + token.asString();
        } while (next != null);
        Set<String> audited = new HashSet<>();
        updates.forEach(event -> audited.add(event.at("/after/labels/editor").asString()));
        String lastAudited = updates.isEmpty() ? "none" : updates.get(0).at("/after/labels/editor").asString();
        String stored = http.get(path).json().at("/labels/editor").asString();
        int revisions = http.get(path + "/revisions").json().get("items").size();
        return new Result(writers, writers * writesEach, new TreeMap<>(statuses), applied.size(), updates.size(), revisions,
                templateChanges.size(), stored, lastAudited, Set.copyOf(applied), audited);
    }
}
