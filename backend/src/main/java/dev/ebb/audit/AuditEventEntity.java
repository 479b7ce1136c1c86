package dev.ebb.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** One stored audit event; never changed once written. */
@Entity
@Table(name = "audit_events")
class AuditEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String actor;

    @Column(nullable = false)
    private String action;

    private String namespace;

    private String service;

    @Column(nullable = false)
    private String target;

    // Plain json keeps the text as written; binding it as jsonb would reorder its fields.
    @Column(columnDefinition = "json")
    @ColumnTransformer(write = "?::json")
    private String before;

    @Column(columnDefinition = "json")
    @ColumnTransformer(write = "?::json")
    private String after;

    @Column(name = "request_id")
    private String requestId;

    @Column(name = "source_address")
    private String sourceAddress;

    protected AuditEventEntity() {
    }

    AuditEventEntity(Instant occurredAt, String actor, String action, String namespace, String service, String target,
            String before, String after, String requestId, String sourceAddress) {
        this.occurredAt = occurredAt;
        this.actor = actor;
        this.action = action;
        this.namespace = namespace;
        this.service = service;
        this.target = target;
        this.before = before;
        this.after = after;
        this.requestId = requestId;
        this.sourceAddress = sourceAddress;
    }

    Long id() {
        return id;
    }

    Instant occurredAt() {
        return occurredAt;
    }

    String actor() {
        return actor;
    }

    String action() {
        return action;
    }

    String namespace() {
        return namespace;
    }

    String service() {
        return service;
    }

    String target() {
        return target;
    }

    String before() {
        return before;
    }

    String after() {
        return after;
    }

    String requestId() {
        return requestId;
    }

    String sourceAddress() {
        return sourceAddress;
    }
}
