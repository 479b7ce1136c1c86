package dev.ebb.coldstart;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.spec.Durations;
import dev.ebb.web.ContinueToken;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;

/** Answers what a service's cold starts looked like, measured against its current cold-start SLO. */
class ColdStartReport {

    private static final Duration DEFAULT_SLO = Duration.ofSeconds(10);

    private final ServiceCatalog catalog;
    private final ColdStartStore store;
    private final TransactionTemplate snapshot;

    /** @param snapshot a read-only repeatable-read transaction: the page and the statistics see the same cold starts */
    ColdStartReport(ServiceCatalog catalog, ColdStartStore store, TransactionTemplate snapshot) {
        this.catalog = catalog;
        this.store = store;
        this.snapshot = snapshot;
    }

    /** @throws dev.ebb.problem.NotFoundException when the service does not exist */
    ColdStartsView read(ColdStartStore.Query query, Integer limit, String continueToken) {
        return snapshot.execute(status -> readInSnapshot(query, limit, continueToken));
    }

    private ColdStartsView readInSnapshot(ColdStartStore.Query query, Integer limit, String continueToken) {
        int size = ContinueToken.limit(limit);
        ColdStartStore.Cursor after = cursor(continueToken);
        String slo = catalog.get(query.namespace(), query.service()).view().coldStartSlo();
        long sloMs = Durations.parse(slo).orElse(DEFAULT_SLO).toMillis();
        List<ColdStartStore.Stored> fetched = store.page(query, after, size + 1);
        List<ColdStartStore.Stored> shown = fetched.size() > size ? fetched.subList(0, size) : fetched;
        String next = null;
        if (fetched.size() > size) {
            ColdStartStore.Stored last = shown.get(size - 1);
            next = ContinueToken.encode(last.record().arrived() + "|" + last.id());
        }
        List<ColdStartsView.Event> items = shown.stream().map(s -> event(s.record(), sloMs)).toList();
        Duration within = Duration.ofMillis(sloMs);
        return new ColdStartsView(slo, ColdStartStats.summarize(store.samples(query, false), within),
                ColdStartStats.summarize(store.samples(query, true), within), items, next);
    }

    private static ColdStartsView.Event event(ColdStartRecord r, long sloMs) {
        Long total = r.totalMs();
        return new ColdStartsView.Event(r.revision(), r.instance(), r.requestId(), r.status(), r.arrived(), r.scaleRequested(),
                r.scheduled(), r.imagePulled(), r.instanceStarted(), r.instanceReady(), r.forwarded(), r.firstByte(), total,
                r.phasesMs(), total == null ? null : total <= sloMs, r.probe());
    }

    private static ColdStartStore.Cursor cursor(String token) {
        String key = ContinueToken.decode(token, null);
        if (key == null) {
            return null;
        }
        int bar = key.indexOf('|');
        try {
            return new ColdStartStore.Cursor(Instant.parse(key.substring(0, bar)), Long.parseLong(key.substring(bar + 1)));
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw InvalidInputException.unreadable("continue", "is not a token of this list; leave it out to start over");
        }
    }
}
