package dev.ebb.revision;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A stored revision. Only its readiness, and whether an operator stopped it, ever change after creation. Updates write
 * only the columns that changed: the reconciler stores readiness in its own transactions while an operator stops the
 * revision in another, and writing every column would let one undo the other.
 */
@Entity
@DynamicUpdate
@Table(name = "revisions")
public class RevisionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "service_id", nullable = false)
    private long serviceId;

    @Column(nullable = false)
    private String namespace;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private int generation;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String template;

    @Column(name = "template_hash", nullable = false)
    private String templateHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "change_cause")
    private String changeCause;

    @Column(nullable = false)
    private String changes;

    @Column(name = "ready_status", nullable = false)
    private String readyStatus;

    @Column(name = "ready_reason")
    private String readyReason;

    @Column(name = "ready_message")
    private String readyMessage;

    @Column(name = "ready_changed_at", nullable = false)
    private Instant readyChangedAt;

    @Column(name = "image_status", nullable = false)
    private String imageStatus;

    @Column(name = "image_reason")
    private String imageReason;

    @Column(name = "image_message")
    private String imageMessage;

    @Column(name = "image_changed_at")
    private Instant imageChangedAt;

    @Column(name = "resolved_image")
    private String resolvedImage;

    @Column(name = "trigger_kind", nullable = false)
    private String triggerKind;

    @Column(name = "trigger_name")
    private String triggerName;

    @Column(name = "trigger_event")
    private String triggerEvent;

    @Column(name = "trigger_event_at")
    private Instant triggerEventAt;

    @Column(name = "stopped_at")
    private Instant stoppedAt;

    @Column(name = "stopped_by")
    private String stoppedBy;

    protected RevisionEntity() {
    }

    RevisionEntity(long serviceId, String namespace, String name, int generation, String template, String templateHash,
            Instant createdAt, String createdBy, String changeCause, String changes, Condition ready, Condition image,
            String resolvedImage, Trigger trigger) {
        this.serviceId = serviceId;
        this.namespace = namespace;
        this.name = name;
        this.generation = generation;
        this.template = template;
        this.templateHash = templateHash;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.changeCause = changeCause;
        this.changes = changes;
        this.readyStatus = ready.status();
        this.readyReason = ready.reason();
        this.readyMessage = ready.message();
        this.readyChangedAt = ready.lastTransitionTime();
        this.imageStatus = image.status();
        this.imageReason = image.reason();
        this.imageMessage = image.message();
        this.imageChangedAt = image.lastTransitionTime();
        this.resolvedImage = resolvedImage;
        this.triggerKind = trigger.kind();
        this.triggerName = trigger.name();
        this.triggerEvent = trigger.event();
        this.triggerEventAt = trigger.eventAt();
    }

    public long serviceId() {
        return serviceId;
    }

    public String namespace() {
        return namespace;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public int generation() {
        return generation;
    }

    public String templateJson() {
        return template;
    }

    public String templateHash() {
        return templateHash;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }

    public String changeCause() {
        return changeCause;
    }

    public String changes() {
        return changes;
    }

    /** Records what the runtime observed; returns what changed. */
    public ReadinessChange observe(Condition ready) {
        boolean moved = !ready.status().equals(readyStatus) || !Objects.equals(ready.reason(), readyReason);
        if (!moved && Objects.equals(ready.message(), readyMessage)) {
            return ReadinessChange.NONE;
        }
        this.readyStatus = ready.status();
        this.readyReason = ready.reason();
        this.readyMessage = ready.message();
        this.readyChangedAt = ready.lastTransitionTime();
        return moved ? ReadinessChange.MOVED : ReadinessChange.REWORDED;
    }

    /**
     * Records what resolving the image gave: the condition, and with a True one the reference instances run. Returns
     * whether anything changed.
     */
    public boolean observeImage(Condition image, String resolvedImage) {
        boolean changed = !image.status().equals(imageStatus) || !Objects.equals(image.reason(), imageReason)
                || !Objects.equals(image.message(), imageMessage) || !Objects.equals(resolvedImage, this.resolvedImage);
        if (changed) {
            this.imageStatus = image.status();
            this.imageReason = image.reason();
            this.imageMessage = image.message();
            this.imageChangedAt = image.lastTransitionTime();
            this.resolvedImage = resolvedImage;
        }
        return changed;
    }

    /** The {@code ImageResolved} condition; revisions stored before images were resolved read as True. */
    public Condition imageCondition() {
        return new Condition(ImageResolved.TYPE, imageStatus, imageReason, imageMessage,
                imageChangedAt == null ? createdAt : imageChangedAt);
    }

    /** The reference instances run ({@code repo@sha256:...}), null until resolved or when the template's is used as is. */
    public String resolvedImage() {
        return resolvedImage;
    }

    public Trigger trigger() {
        return new Trigger(triggerKind, triggerName, triggerEvent, triggerEventAt);
    }

    /** Keeps the revision from running until it is retried; returns false when it was stopped already. */
    public boolean stop(Instant at, String by) {
        if (stoppedAt != null) {
            return false;
        }
        this.stoppedAt = at;
        this.stoppedBy = by;
        return true;
    }

    /** Lets a stopped revision run again. */
    public void unstop() {
        this.stoppedAt = null;
        this.stoppedBy = null;
    }

    /** Who stopped the revision and when, null while it is not stopped. */
    public RevisionView.Stopped stopped() {
        return stoppedAt == null ? null : new RevisionView.Stopped(stoppedAt, stoppedBy);
    }

    public RevisionState state() {
        return new RevisionState(serviceId, name, generation, readyStatus, readyReason, readyMessage, readyChangedAt);
    }
}
