package dev.ebb.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person who signs in to the dashboard; the password only as a bcrypt hash. */
@Entity
@Table(name = "users")
class UserEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String username;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "password_hash")
    private String passwordHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    private String updatedBy;

    @Column(name = "disabled_at")
    private Instant disabledAt;

    @Column(name = "last_sign_in_at")
    private Instant lastSignInAt;

    protected UserEntity() {
    }

    UserEntity(String username, String displayName, String passwordHash, Instant now, String by) {
        this.username = username;
        this.displayName = displayName;
        this.passwordHash = passwordHash;
        this.createdAt = now;
        this.createdBy = by;
        this.updatedAt = now;
        this.updatedBy = by;
    }

    String username() {
        return username;
    }

    String displayName() {
        return displayName;
    }

    String passwordHash() {
        return passwordHash;
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

    Instant disabledAt() {
        return disabledAt;
    }

    Instant lastSignInAt() {
        return lastSignInAt;
    }

    void displayName(String displayName) {
        this.displayName = displayName;
    }

    void passwordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    void disabled(boolean disabled, Instant now) {
        if (disabled && disabledAt == null) {
            disabledAt = now;
        } else if (!disabled) {
            disabledAt = null;
        }
    }

    void signedIn(Instant now) {
        this.lastSignInAt = now;
    }

    void updated(Instant now, String by) {
        this.updatedAt = now;
        this.updatedBy = by;
    }
}
