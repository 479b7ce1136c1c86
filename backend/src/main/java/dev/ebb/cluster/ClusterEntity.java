package dev.ebb.cluster;

import dev.ebb.secrets.Sealed;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A registered Kubernetes cluster; its kubeconfig is stored only encrypted. */
@Entity
@Table(name = "clusters")
class ClusterEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(nullable = false)
    private String server;

    @Column(nullable = false)
    private String context;

    private String gateway;

    @Column(name = "kubeconfig_ciphertext", nullable = false)
    private byte[] kubeconfigCiphertext;

    @Column(name = "kubeconfig_key_id", nullable = false)
    private String kubeconfigKeyId;

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

    protected ClusterEntity() {
    }

    ClusterEntity(String name, Instant now, String actor) {
        this.name = name;
        this.createdAt = now;
        this.createdBy = actor;
    }

    /** Applies a new description and gateway and, when given, a new kubeconfig, and moves the resource version on. */
    void apply(String description, String gateway, String server, String context, Sealed kubeconfig, Instant now, String actor) {
        this.description = description;
        this.gateway = gateway;
        if (kubeconfig != null) {
            this.server = server;
            this.context = context;
            seal(kubeconfig);
        }
        this.updatedAt = now;
        this.updatedBy = actor;
        this.resourceVersion++;
    }

    /** Stores the kubeconfig encrypted anew, as rotation does: the resource itself does not change. */
    void seal(Sealed kubeconfig) {
        this.kubeconfigCiphertext = kubeconfig.ciphertext();
        this.kubeconfigKeyId = kubeconfig.keyId();
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    String gateway() {
        return gateway;
    }

    String server() {
        return server;
    }

    String context() {
        return context;
    }

    Sealed kubeconfig() {
        return new Sealed(kubeconfigKeyId, kubeconfigCiphertext);
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

    /** Hibernate and debuggers may print an entity; this one prints no secret. */
    @Override
    public String toString() {
        return "ClusterEntity[name=" + name + ", server=" + server + ", kubeconfigKeyId=" + kubeconfigKeyId + "]";
    }
}
