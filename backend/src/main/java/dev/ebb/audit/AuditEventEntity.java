package dev.ebb.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * One stored audit event; never changed once written (the database refuses to). Its id is assigned by
 * {@link AuditLog} under the chain's lock, not generated on insert, because the hash covers it.
 */
@Entity
@Table(name = "audit_events")
class AuditEventEntity {

    @Id
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String actor;

    private String credential;

    @Column(nullable = false)
    private String action;

    private String namespace;

    private String service;

    @Column(nullable = false)
    private String target;

    // Plain json keeps the text as written; binding it as jsonb would reorder its fields (and break its hash).
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

    @Column(name = "user_agent")
    private String userAgent;

    @Column(name = "change_cause")
    private String changeCause;

    @Column(name = "prev_hash")
    private String prevHash;

    @Column(nullable = false)
    private String hash;

    protected AuditEventEntity() {
    }

    AuditEventEntity(ChainedEvent event) {
        EventContent c = event.content();
        this.id = c.id();
        this.occurredAt = c.occurredAt();
        this.actor = c.actor();
        this.credential = c.credential();
        this.action = c.action();
        this.namespace = c.namespace();
        this.service = c.service();
        this.target = c.target();
        this.before = c.before();
        this.after = c.after();
        this.requestId = c.requestId();
        this.sourceAddress = c.sourceAddress();
        this.userAgent = c.userAgent();
        this.changeCause = c.changeCause();
        this.prevHash = event.prevHash();
        this.hash = event.hash();
    }

    ChainedEvent chained() {
        return new ChainedEvent(new EventContent(id, occurredAt, actor, credential, action, namespace, service, target, before,
                after, requestId, sourceAddress, userAgent, changeCause), prevHash, hash);
    }
}
