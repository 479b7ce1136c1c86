package dev.ebb.follow;

import dev.ebb.secrets.Sealed;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored registry hook; its secret is stored only encrypted. */
@Entity
@Table(name = "registry_hooks")
class RegistryHookEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String name;

    @Column
    private String registry;

    @Column(name = "secret_ciphertext", nullable = false)
    private byte[] secretCiphertext;

    @Column(name = "secret_key_id", nullable = false)
    private String secretKeyId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    protected RegistryHookEntity() {
    }

    RegistryHookEntity(String name, String registry, Sealed secret, Instant createdAt, String createdBy) {
        this.name = name;
        this.registry = registry;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        seal(secret);
    }

    /** Stores the secret encrypted anew, as rotation does. */
    void seal(Sealed secret) {
        this.secretCiphertext = secret.ciphertext();
        this.secretKeyId = secret.keyId();
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String registry() {
        return registry;
    }

    Sealed secret() {
        return new Sealed(secretKeyId, secretCiphertext);
    }

    Instant createdAt() {
        return createdAt;
    }

    String createdBy() {
        return createdBy;
    }

    /** Hibernate and debuggers may print an entity; this one prints no secret. */
    @Override
    public String toString() {
        return "RegistryHookEntity[name=" + name + ", registry=" + registry + ", secretKeyId=" + secretKeyId + "]";
    }
}
