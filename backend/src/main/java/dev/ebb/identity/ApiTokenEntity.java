package dev.ebb.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API or gateway token; only the SHA-256 of its value is stored. */
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
    private String kind;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "revoked_by")
    private String revokedBy;

    protected ApiTokenEntity() {
    }

    ApiTokenEntity(String name, String tokenHash, TokenKind kind, Instant createdAt, String createdBy, Instant expiresAt) {
        this.name = name;
        this.tokenHash = tokenHash;
        this.kind = kind.wireName();
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.expiresAt = expiresAt;
    }

    String name() {
        return name;
    }

    TokenKind kind() {
        return TokenKind.parse(kind).orElseThrow();
    }

    Instant createdAt() {
        return createdAt;
    }

    String createdBy() {
        return createdBy;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    String revokedBy() {
        return revokedBy;
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

    void revoke(Instant now, String by) {
        this.revokedAt = now;
        this.revokedBy = by;
    }

    /** Makes this token accept {@code hash} from now on, undoing any revocation or expiry. */
    void reset(String hash) {
        this.tokenHash = hash;
        this.revokedAt = null;
        this.revokedBy = null;
        this.expiresAt = null;
    }
}
