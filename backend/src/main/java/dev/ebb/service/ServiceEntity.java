package dev.ebb.service;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored service. Its template lives in its latest revision; everything else is here. */
@Entity
@Table(name = "services")
class ServiceEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String namespace;

    @Column(nullable = false)
    private String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String labels;

    @Column(nullable = false)
    private String visibility;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String placement;

    @Column(name = "cold_start_slo", nullable = false)
    private String coldStartSlo;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String traffic;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String annotations;

    /** The rollout settings with their defaults, null for a service that rolls out immediately. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String rollout;

    @Column(name = "latest_generation", nullable = false)
    private int latestGeneration;

    @Column(name = "resource_version", nullable = false)
    private long resourceVersion;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    private String updatedBy;

    protected ServiceEntity() {
    }

    ServiceEntity(String namespace, String name, Instant now, String actor) {
        this.namespace = namespace;
        this.name = name;
        this.createdAt = now;
        this.createdBy = actor;
        this.updatedAt = now;
        this.updatedBy = actor;
        this.resourceVersion = 0;
    }

    /** Applies a new desired state and moves the resource version on. */
    void apply(String labels, String visibility, String placement, String coldStartSlo, String traffic, String annotations,
            String rollout, int latestGeneration, Instant now, String actor) {
        this.labels = labels;
        this.annotations = annotations;
        this.rollout = rollout;
        this.visibility = visibility;
        this.placement = placement;
        this.coldStartSlo = coldStartSlo;
        this.traffic = traffic;
        this.latestGeneration = latestGeneration;
        this.updatedAt = now;
        this.updatedBy = actor;
        this.resourceVersion++;
    }

    Long id() {
        return id;
    }

    String namespace() {
        return namespace;
    }

    String name() {
        return name;
    }

    String labelsJson() {
        return labels;
    }

    String visibility() {
        return visibility;
    }

    String placementJson() {
        return placement;
    }

    String coldStartSlo() {
        return coldStartSlo;
    }

    String trafficJson() {
        return traffic;
    }

    String annotationsJson() {
        return annotations;
    }

    /** Null when the service rolls out immediately. */
    String rolloutJson() {
        return rollout;
    }

    int latestGeneration() {
        return latestGeneration;
    }

    long resourceVersion() {
        return resourceVersion;
    }

    Instant createdAt() {
        return createdAt;
    }

    String createdBy() {
        return createdBy;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    String updatedBy() {
        return updatedBy;
    }
}
