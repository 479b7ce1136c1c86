package dev.ebb.identity;

import dev.ebb.access.Grant;
import dev.ebb.access.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One role of one subject ({@code user:alice}, {@code token:ci}) in one namespace or {@code *}. */
@Entity
@Table(name = "grants")
class GrantEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String subject;

    @Column(nullable = false)
    private String namespace;

    @Column(nullable = false)
    private String role;

    @Column(nullable = false)
    private boolean publish;

    protected GrantEntity() {
    }

    GrantEntity(String subject, Grant grant) {
        this.subject = subject;
        this.namespace = grant.namespace();
        this.role = grant.role().wireName();
        this.publish = grant.publish();
    }

    String subject() {
        return subject;
    }

    Grant grant() {
        return new Grant(namespace, Role.parse(role).orElseThrow(), publish);
    }
}
