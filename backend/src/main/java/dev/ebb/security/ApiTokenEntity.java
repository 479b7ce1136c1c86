package dev.ebb.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API token; only the SHA-256 of its value is stored. */
@Entity
@Table(name = "api_tokens")
class ApiTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String name;

    @Column(name = "token_hash", nullable = false)
    private String tokenHash;

    @Column(nullable = false)
    private String role;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiTokenEntity() {
    }

    ApiTokenEntity(String name, String tokenHash, String role, Instant createdAt) {
        this.name = name;
        this.tokenHash = tokenHash;
        this.role = role;
        this.createdAt = createdAt;
    }

    String name() {
        return name;
    }

    String role() {
        return role;
    }

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }

    void usedAt(Instant now) {
        this.lastUsedAt = now;
    }

    /** Makes this token accept {@code hash} from now on, undoing any revocation or expiry. */
    void reset(String hash) {
        this.tokenHash = hash;
        this.revokedAt = null;
        this.expiresAt = null;
    }
}
