package dev.ebb.registry;

import dev.ebb.secrets.Sealed;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored registry credential; its password is stored only encrypted. */
@Entity
@Table(name = "registry_credentials")
class RegistryCredentialEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String namespace;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String server;

    @Column(nullable = false)
    private String username;

    @Column(name = "password_ciphertext", nullable = false)
    private byte[] passwordCiphertext;

    @Column(name = "password_key_id", nullable = false)
    private String passwordKeyId;

    @Column(name = "plain_http", nullable = false)
    private boolean plainHttp;

    @Column(name = "ca_bundle")
    private String caBundle;

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

    protected RegistryCredentialEntity() {
    }

    RegistryCredentialEntity(String namespace, String name, Instant now, String actor) {
        this.namespace = namespace;
        this.name = name;
        this.createdAt = now;
        this.createdBy = actor;
    }

    /** Applies a new server, username and TLS settings and, when given, a new password, and moves the resource version on. */
    void apply(String server, String username, boolean plainHttp, String caBundle, Sealed password, Instant now,
            String actor) {
        this.server = server;
        this.username = username;
        this.plainHttp = plainHttp;
        this.caBundle = caBundle;
        if (password != null) {
            seal(password);
        }
        this.updatedAt = now;
        this.updatedBy = actor;
        this.resourceVersion++;
    }

    /** Stores the password encrypted anew, as rotation does: the resource itself does not change. */
    void seal(Sealed password) {
        this.passwordCiphertext = password.ciphertext();
        this.passwordKeyId = password.keyId();
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

    String server() {
        return server;
    }

    String username() {
        return username;
    }

    boolean plainHttp() {
        return plainHttp;
    }

    String caBundle() {
        return caBundle;
    }

    Sealed password() {
        return new Sealed(passwordKeyId, passwordCiphertext);
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
        return "RegistryCredentialEntity[namespace=" + namespace + ", name=" + name + ", server=" + server
                + ", passwordKeyId=" + passwordKeyId + "]";
    }
}
