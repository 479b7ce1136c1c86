package dev.ebb.service;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A service as it was stored from {@code recordedAt} on, or a tombstone from its deletion. */
@Entity
@Table(name = "service_snapshots")
class SnapshotEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String namespace;

    @Column(nullable = false)
    private String name;

    @Column(name = "resource_version", nullable = false)
    private long resourceVersion;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    @Column(nullable = false)
    private boolean deleted;

    // Plain json keeps the text as written; binding it as jsonb would reorder its fields.
    @Column(columnDefinition = "json")
    @ColumnTransformer(write = "?::json")
    private String body;

    /** The body's labels again, as jsonb, so that a search at an instant filters without parsing every body. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String labels;

    protected SnapshotEntity() {
    }

    SnapshotEntity(String namespace, String name, long resourceVersion, Instant recordedAt, boolean deleted, String body,
            String labels) {
        this.namespace = namespace;
        this.name = name;
        this.resourceVersion = resourceVersion;
        this.recordedAt = recordedAt;
        this.deleted = deleted;
        this.body = body;
        this.labels = labels;
    }

    boolean deleted() {
        return deleted;
    }

    String body() {
        return body;
    }
}
