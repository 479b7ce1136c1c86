package dev.ebb.rollout;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.NotFoundException;
import dev.ebb.service.ServiceChanged;
import dev.ebb.spec.Rollout;
import dev.ebb.spec.ServiceRules;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change of a rollout's state, whether the engine or a person makes it: each is stored, audited and published
 * to the routing in one transaction, so the gateways get the new split as soon as it commits.
 */
public class Rollouts {

    static final Set<String> ACTIONS = Set.of("pause", "resume", "promote", "abort");
    static final Actor EBB = new Actor("system:ebb", null, null, null, null, null);

    private final RolloutStore store;
    private final StepMeasurements measurements;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Rollouts(RolloutStore store, StepMeasurements measurements, AuditLog audit, ApplicationEventPublisher events, JdbcTemplate jdbc,
            TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.measurements = measurements;
        this.audit = audit;
        this.events = events;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The service's latest rollout. */
    public RolloutView get(String namespace, String name) {
        long serviceId = serviceId(namespace, name);
        RolloutRecord r = store.latest(serviceId).orElseThrow(() -> new NotFoundException("Service '" + name + "' in namespace '"
                + namespace + "' has had no rollout: give it a rollout strategy other than immediate (\"rollout\": "
                + "{\"strategy\": \"canary\"}), and its next ready revision rolls out"));
        return view(namespace, name, r);
    }

    /** A person's action on the rollout in progress. */
    public RolloutView act(String namespace, String name, RolloutAction body, Actor actor) {
        String action = body == null ? null : body.action();
        if (action == null || !ACTIONS.contains(action)) { // Set.of(...).contains(null) throws
            throw InvalidInputException.invalid(List.of(new FieldViolation("action", action == null
                    ? "is required: one of 'abort', 'pause', 'promote', 'resume'" : ServiceRules.oneOf(action, ACTIONS))));
        }
        return transactions.execute(status -> {
            long serviceId = serviceId(namespace, name);
            RolloutRecord r = store.latestLocked(serviceId).filter(RolloutRecord::active).orElseThrow(() -> new ConflictException(
                    "Service '" + name + "' has no rollout in progress to " + action + "; GET .../services/" + name
                            + "/rollout shows the last one"));
            Instant now = clock.instant();
            RolloutRecord next = switch (action) {
                case "pause" -> {
                    require(r.state().equals(RolloutRecord.PROGRESSING), "The rollout of " + r.to() + " is already paused");
                    yield r.with(r.step(), r.percent(), RolloutRecord.PAUSED, "paused by " + actor.name(), r.steps(),
                            r.stepStartedAt(), now, null);
                }
                case "resume" -> {
                    require(r.state().equals(RolloutRecord.PAUSED), "The rollout of " + r.to() + " is not paused");
                    // The step is measured afresh: what happened while paused was not judged.
                    yield r.with(r.step(), r.percent(), RolloutRecord.PROGRESSING, "resumed by " + actor.name(), r.steps(),
                            now, now, null);
                }
                case "promote" -> end(r, 100, RolloutRecord.SUCCEEDED, "promoted", "promoted by " + actor.name(), now);
                default -> end(r, 0, RolloutRecord.ABORTED, "aborted", "aborted by " + actor.name()
                        + "; all the traffic is back on " + r.from(), now);
            };
            RolloutRecord stored = save(namespace, name, r, next, "rollout." + action, actor);
            return view(namespace, name, stored);
        });
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new ConflictException(message);
        }
    }

    /** The rollout ended at {@code percent} in {@code state}, its current step recorded with what it measured. */
    RolloutRecord end(RolloutRecord r, int percent, String state, String decision, String reason, Instant now) {
        return end(r, measured(r), percent, state, decision, reason, now);
    }

    /** As {@link #end(RolloutRecord, int, String, String, String, Instant)}, recording the figures it was judged on. */
    RolloutRecord end(RolloutRecord r, StepMeasurements.Figures judged, int percent, String state, String decision, String reason,
            Instant now) {
        List<StepRecord> steps = withStep(r, judged, decision, reason, now);
        measurements.close(r.id());
        return r.with(r.step(), percent, state, reason, steps, r.stepStartedAt(), now, now);
    }

    /** What the gateways counted of the current step so far. */
    StepMeasurements.Figures measured(RolloutRecord r) {
        StepMeasurements.Window window = measurements.get(r.id(), r.windowKey());
        return window == null ? StepMeasurements.Figures.NONE : window.figures();
    }

    /** The steps taken so far and the current one, ended now with {@code decision} on the figures {@code judged}. */
    List<StepRecord> withStep(RolloutRecord r, StepMeasurements.Figures judged, String decision, String reason, Instant now) {
        List<StepRecord> steps = new ArrayList<>(r.steps());
        steps.add(new StepRecord(r.step() + 1, r.percent(), r.stepStartedAt(), now, judged.candidate(), judged.stable(),
                decision, reason));
        return steps;
    }

    /** Stores a change of {@code before}, audits it and tells the routing; inside the caller's transaction. */
    RolloutRecord save(String namespace, String name, RolloutRecord before, RolloutRecord after, String action, Actor actor) {
        store.update(after);
        audit.record(clock.instant(), actor, action, namespace, name, target(namespace, name),
                before == null ? null : RolloutView.of(namespace, name, before, null), RolloutView.of(namespace, name, after, null));
        events.publishEvent(new ServiceChanged(namespace, name));
        return after;
    }

    /** Starts a rollout (or takes a revision as stable), audited and published; inside the caller's transaction. */
    RolloutRecord start(String namespace, String name, long serviceId, String from, String to, Rollout settings, Instant now) {
        RolloutRecord r;
        String action;
        if (from == null) {
            r = store.insert(serviceId, null, to, settings, List.of(new RolloutPlan.Step(100, 0)), 100, RolloutRecord.SUCCEEDED,
                    "taken as the stable revision: nothing to roll out from", now);
            action = "rollout.adopt";
        } else {
            List<RolloutPlan.Step> plan = RolloutPlan.of(settings);
            r = store.insert(serviceId, from, to, settings, plan, plan.get(0).percent(), RolloutRecord.PROGRESSING,
                    "step 1 of " + plan.size() + ": " + plan.get(0).percent() + " % to " + to, now);
            action = "rollout.start";
        }
        audit.record(now, EBB, action, namespace, name, target(namespace, name), null, RolloutView.of(namespace, name, r, null));
        events.publishEvent(new ServiceChanged(namespace, name));
        return r;
    }

    private RolloutView view(String namespace, String name, RolloutRecord r) {
        StepMeasurements.Window window = r.active() ? measurements.get(r.id(), r.windowKey()) : null;
        StepMeasurements.Figures figures = window == null ? null : window.figures();
        RolloutView.Current current = figures == null ? null
                : new RolloutView.Current(r.stepStartedAt(), figures.candidate(), figures.stable());
        return RolloutView.of(namespace, name, r, current);
    }

    private long serviceId(String namespace, String name) {
        return jdbc.query("select id from services where namespace = ? and name = ?", (row, i) -> row.getLong(1), namespace, name)
                .stream().findFirst().orElseThrow(() -> new NotFoundException("Service '" + name + "' does not exist in namespace '"
                        + namespace + "'; list services at GET /api/v1/namespaces/" + namespace + "/services"));
    }

    private static String target(String namespace, String name) {
        return "namespaces/" + namespace + "/services/" + name + "/rollout";
    }
}
