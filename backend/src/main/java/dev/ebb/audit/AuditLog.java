package dev.ebb.audit;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends audit events to a hash chain inside the caller's transaction, answers searches over them and
 * verifies the chain.
 */
@Component
public class AuditLog {

    /**
     * The transaction-scoped advisory lock that orders appends ("ebb-audi" in ASCII). A transaction that recorded
     * events takes it just before it commits and holds it until it has, so the chain's id order is its commit order.
     */
    static final long CHAIN_LOCK = 0x6562622d61756469L;
    /** Events read per query while verifying; the chain is never held in memory as a whole. */
    static final int VERIFY_PAGE = 1000;
    /** Where a transaction keeps its events until it commits. */
    private static final Object PENDING = new Object();

    private final AuditRepository events;
    private final EntityManager entities;
    private final JsonMapper json;

    AuditLog(AuditRepository events, EntityManager entities, JsonMapper json) {
        this.events = events;
        this.entities = entities;
        this.json = json;
    }

    /**
     * Records a change. Must run inside the transaction that makes the change, so that either both are stored or
     * neither is. The event joins the chain just before that transaction commits: only then are other transactions
     * that record events made to wait, for the few statements that append them and the commit itself, since each
     * event's hash covers the hash of the one committed before it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(Instant at, Actor actor, String action, String namespace, String service, String target,
            Object before, Object after) {
        pending().add(new EventContent(0, ChainHash.storedPrecision(at), actor.name(), actor.credential(), action, namespace,
                service, target, toJson(before), toJson(after), actor.requestId(), actor.sourceAddress(), actor.userAgent(),
                actor.changeCause()));
    }

    /** This transaction's events not yet appended; the first call registers their appending before commit. */
    @SuppressWarnings("unchecked")
    private List<EventContent> pending() {
        List<EventContent> pending = (List<EventContent>) TransactionSynchronizationManager.getResource(PENDING);
        if (pending == null) {
            List<EventContent> events = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(PENDING, events);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    append(events);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(PENDING);
                }
            });
            pending = events;
        }
        return pending;
    }

    /** Appends the events in the order they were recorded, holding the chain's lock until the transaction ends. */
    private void append(List<EventContent> recorded) {
        if (recorded.isEmpty()) {
            return;
        }
        entities.createNativeQuery("select 1 from pg_advisory_xact_lock(:key)").setParameter("key", CHAIN_LOCK).getSingleResult();
        // A statement of its own, after the lock: under READ COMMITTED it sees the previous holder's committed event.
        List<?> newest = entities.createNativeQuery("select hash from audit_events order by id desc limit 1").getResultList();
        String prevHash = newest.isEmpty() ? null : (String) newest.get(0);
        // Every id this transaction needs in one round trip, ascending: the lock is held meanwhile.
        List<Long> ids = ((List<?>) entities.createNativeQuery(
                "select nextval('audit_events_id_seq') from generate_series(1, :count)").setParameter("count", recorded.size())
                .getResultList()).stream().map(id -> ((Number) id).longValue()).sorted().toList();
        for (int i = 0; i < recorded.size(); i++) {
            EventContent content = recorded.get(i).withId(ids.get(i));
            String hash = ChainHash.hash(content, prevHash);
            entities.persist(new AuditEventEntity(new ChainedEvent(content, prevHash, hash)));
            prevHash = hash;
        }
        entities.flush();
    }

    /**
     * Checks the whole chain, oldest event first, a page at a time, and stops at the first event that is not
     * what was written. Each page is read in a short transaction of its own.
     */
    public ChainReport verify() {
        ChainReport report = ChainReport.start();
        long after = 0;
        List<AuditEventEntity> page;
        do {
            page = events.findByIdGreaterThanOrderByIdAsc(after, Limit.of(VERIFY_PAGE));
            for (AuditEventEntity entity : page) {
                ChainedEvent event = entity.chained();
                report = report.then(event);
                if (report.broken()) {
                    return report;
                }
                after = event.id();
            }
        } while (page.size() == VERIFY_PAGE);
        return report;
    }

    /** The newest event's id and hash, the head of the chain; empty while the trail is empty. */
    @Transactional(readOnly = true)
    public Optional<Head> head() {
        return events.findFirstByOrderByIdDesc().map(AuditEventEntity::chained).map(event -> new Head(event.id(), event.hash()));
    }

    /** The newest event of the chain and its hash. */
    public record Head(long eventId, String hash) {
    }

    /** The hash stored with event {@code id}, empty when there is no such event. */
    @Transactional(readOnly = true)
    public Optional<String> hashOf(long id) {
        return events.findById(id).map(entity -> entity.chained().hash());
    }

    /** The hash of the chain's first event, empty while the trail is empty. */
    @Transactional(readOnly = true)
    public Optional<String> firstHash() {
        return events.findFirstByOrderByIdAsc().map(entity -> entity.chained().hash());
    }

    /** Events newest first, {@code limit + 1} at most so the caller can tell whether more follow. */
    @Transactional(readOnly = true)
    public List<AuditEventView> search(AuditQuery query) {
        List<Specification<AuditEventEntity>> filters = new ArrayList<>();
        if (query.namespace() != null) {
            filters.add((root, q, cb) -> cb.equal(root.get("namespace"), query.namespace()));
        }
        if (query.service() != null) {
            filters.add((root, q, cb) -> cb.equal(root.get("service"), query.service()));
        }
        if (query.actor() != null) {
            filters.add((root, q, cb) -> cb.equal(root.get("actor"), query.actor()));
        }
        if (!query.actions().isEmpty()) {
            filters.add((root, q, cb) -> root.get("action").in(query.actions()));
        }
        if (query.since() != null) {
            filters.add((root, q, cb) -> cb.greaterThanOrEqualTo(root.get("occurredAt"), query.since()));
        }
        if (query.until() != null) {
            filters.add((root, q, cb) -> cb.lessThan(root.get("occurredAt"), query.until()));
        }
        if (query.beforeId() != null) {
            filters.add((root, q, cb) -> cb.lessThan(root.get("id"), query.beforeId()));
        }
        Specification<AuditEventEntity> where = Specification.allOf(filters);
        return events.findBy(where, q -> q.sortBy(Sort.by(Sort.Direction.DESC, "id")).limit(query.limit() + 1).all())
                .stream()
                .map(entity -> view(entity.chained()))
                .toList();
    }

    private AuditEventView view(ChainedEvent event) {
        EventContent e = event.content();
        return new AuditEventView(e.id(), e.occurredAt(), e.actor(), e.credential(), e.action(), e.namespace(), e.service(),
                e.target(), fromJson(e.before()), fromJson(e.after()), e.requestId(), e.sourceAddress(), e.userAgent(),
                e.changeCause(), event.prevHash(), event.hash());
    }

    private String toJson(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    private JsonNode fromJson(String value) {
        return value == null ? null : json.readTree(value);
    }
}
