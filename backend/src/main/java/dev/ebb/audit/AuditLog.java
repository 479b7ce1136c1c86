package dev.ebb.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Appends audit events inside the caller's transaction and answers searches over them. */
@Component
public class AuditLog {

    private final AuditRepository events;
    private final JsonMapper json;

    AuditLog(AuditRepository events, JsonMapper json) {
        this.events = events;
        this.json = json;
    }

    /**
     * Records a change. Must run inside the transaction that makes the change, so that either both
     * are stored or neither is.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(Instant at, Actor actor, String action, String namespace, String service, String target,
            Object before, Object after) {
        events.save(new AuditEventEntity(at, actor.name(), action, namespace, service, target, toJson(before), toJson(after),
                actor.requestId(), actor.sourceAddress()));
    }

    /** Events newest first, {@code limit + 1} at most so the caller can tell whether more follow. */
    @Transactional(readOnly = true)
    public List<AuditEventView> search(AuditQuery query) {
        List<Specification<AuditEventEntity>> filters = new ArrayList<>();
        if (query.namespace() != null) {
            filters.add((root, q, cb) -> cb.equal(root.get("namespace"), query.namespace()));
        }
        if (query.service() != null) {
            filters.add((root, q, cb) -> cb.equal(root.get("service"), query.service()));
        }
        if (query.actor() != null) {
            filters.add((root, q, cb) -> cb.equal(root.get("actor"), query.actor()));
        }
        if (query.since() != null) {
            filters.add((root, q, cb) -> cb.greaterThanOrEqualTo(root.get("occurredAt"), query.since()));
        }
        if (query.until() != null) {
            filters.add((root, q, cb) -> cb.lessThan(root.get("occurredAt"), query.until()));
        }
        if (query.beforeId() != null) {
            filters.add((root, q, cb) -> cb.lessThan(root.get("id"), query.beforeId()));
        }
        Specification<AuditEventEntity> where = Specification.allOf(filters);
        return events.findBy(where, q -> q.sortBy(Sort.by(Sort.Direction.DESC, "id")).limit(query.limit() + 1).all())
                .stream()
                .map(this::view)
                .toList();
    }

    private AuditEventView view(AuditEventEntity e) {
        return new AuditEventView(e.id(), e.occurredAt(), e.actor(), e.action(), e.namespace(), e.service(), e.target(),
                fromJson(e.before()), fromJson(e.after()), e.requestId(), e.sourceAddress());
    }

    private String toJson(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    private JsonNode fromJson(String value) {
        return value == null ? null : json.readTree(value);
    }
}
