package dev.ebb.rollout;

import dev.ebb.background.Ticker;
import dev.ebb.leadership.Leadership;
import dev.ebb.spec.Rollout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the leading replica, once a round: starts a rollout for each new ready revision of a service whose strategy is not
 * immediate, judges the step in progress of each rollout and moves it on, back or to its end. All it knows is stored, so
 * a replica that starts leading (after a restart too) resumes every rollout at the step it was at; that step is measured
 * again from then on, since the measurements of the step so far were in the previous leader's memory.
 */
class RolloutEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RolloutEngine.class);

    private final RolloutStore store;
    private final Rollouts rollouts;
    private final StepMeasurements measurements;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Ticker ticker;

    RolloutEngine(RolloutStore store, Rollouts rollouts, StepMeasurements measurements, TransactionTemplate transactions,
            Clock clock, Leadership leadership, Duration tick) {
        this.store = store;
        this.rollouts = rollouts;
        this.measurements = measurements;
        this.transactions = transactions;
        this.clock = clock;
        this.ticker = new Ticker("ebb-rollouts", tick, leadership.whileLeading(this::round),
                e -> log.warn("A round of the rollouts failed; trying again at the next", e));
    }

    void start() {
        ticker.start();
    }

    void round() {
        Set<Long> active = new HashSet<>();
        for (RolloutStore.Candidate service : store.candidates()) {
            try {
                RolloutRecord r = transactions.execute(status -> decide(service));
                if (r != null && r.active()) {
                    active.add(r.id());
                }
            } catch (RuntimeException e) {
                log.warn("Rolling out {}/{} failed; trying again at the next round", service.namespace(), service.name(), e);
            }
        }
        measurements.retain(active);
    }

    /** One service's round; returns its latest rollout. */
    private RolloutRecord decide(RolloutStore.Candidate s) {
        RolloutRecord latest = store.latestLocked(s.serviceId()).orElse(null);
        Instant now = clock.instant();
        Rollout settings = s.settings();
        if (settings == null || settings.isImmediate()) {
            if (latest != null && latest.active()) {
                return rollouts.save(s.namespace(), s.name(), latest, rollouts.end(latest, 100, RolloutRecord.SUPERSEDED,
                        "superseded", "the service now rolls out immediately", now), "rollout.supersede", Rollouts.EBB);
            }
            return latest;
        }
        String ready = s.latestReady();
        if (ready == null) {
            return latest;
        }
        if (latest == null) {
            return rollouts.start(s.namespace(), s.name(), s.serviceId(), null, ready, settings, now);
        }
        if (latest.active() && ready.equals(latest.to())) {
            return step(s, latest, now);
        }
        String established = latest.established();
        // Revision names end in the zero-padded generation: the greater name is the newer revision.
        if (ready.equals(established) || ready.equals(latest.to()) || ready.compareTo(latest.to()) < 0) {
            return latest;
        }
        if (latest.active()) {
            rollouts.save(s.namespace(), s.name(), latest, rollouts.end(latest, 0, RolloutRecord.SUPERSEDED, "superseded",
                    "superseded by " + ready + ", which rolls out from " + established + " instead", now),
                    "rollout.supersede", Rollouts.EBB);
        }
        RolloutRecord started = rollouts.start(s.namespace(), s.name(), s.serviceId(), established, ready, settings, now);
        measurements.open(started.id(), started.windowKey(), s.namespace(), ready, established);
        return started;
    }

    private RolloutRecord step(RolloutStore.Candidate s, RolloutRecord r, Instant now) {
        if (!RolloutRecord.PROGRESSING.equals(r.state())) {
            return r;
        }
        StepMeasurements.Window window = measurements.get(r.id(), r.windowKey());
        if (window == null) {
            // Nothing measured here for this step (a restart, a new leader, a resume elsewhere): it starts again now.
            RolloutRecord restarted = r.with(r.step(), r.percent(), r.state(), r.reason(), r.steps(), now, now, null);
            store.update(restarted);
            measurements.open(r.id(), restarted.windowKey(), s.namespace(), r.to(), r.from());
            return restarted;
        }
        RolloutPlan.Step planned = r.plan().get(r.step());
        StepMeasurements.Figures judged = window.figures();
        StepJudge.Verdict verdict = StepJudge.judge(r.settings().analysis(), now.toEpochMilli() - r.stepStartedAt().toEpochMilli(),
                planned.ms(), judged.candidate(), judged.stable());
        String where = "step " + (r.step() + 1) + " at " + r.percent() + " %: ";
        return switch (verdict.outcome()) {
            case WAIT -> r;
            case FAIL -> rollouts.save(s.namespace(), s.name(), r, rollouts.end(r, judged, 0, RolloutRecord.FAILED, "failed",
                    where + verdict.reason() + "; all the traffic is back on " + r.from() + ", and " + r.to()
                            + " stays reachable under the tag 'candidate'", now), "rollout.fail", Rollouts.EBB);
            case PASS -> advance(s, r, judged, where + verdict.reason(), now);
        };
    }

    private RolloutRecord advance(RolloutStore.Candidate s, RolloutRecord r, StepMeasurements.Figures judged, String reason,
            Instant now) {
        int next = r.step() + 1;
        List<StepRecord> steps = rollouts.withStep(r, judged, "advanced", reason, now);
        if (next >= r.plan().size() || r.plan().get(next).percent() >= 100) {
            RolloutRecord done = r.with(Math.min(next, r.plan().size() - 1), 100, RolloutRecord.SUCCEEDED,
                    r.to() + " takes all the traffic", steps, now, now, now);
            measurements.close(r.id());
            return rollouts.save(s.namespace(), s.name(), r, done, "rollout.succeed", Rollouts.EBB);
        }
        int percent = r.plan().get(next).percent();
        RolloutRecord moved = r.with(next, percent, RolloutRecord.PROGRESSING, "step " + (next + 1) + " of " + r.plan().size()
                + ": " + percent + " % to " + r.to(), steps, now, now, null);
        rollouts.save(s.namespace(), s.name(), r, moved, "rollout.step", Rollouts.EBB);
        measurements.open(r.id(), moved.windowKey(), s.namespace(), r.to(), r.from());
        return moved;
    }

    @Override
    public void close() {
        ticker.close();
    }
}
