package dev.ebb.overview;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ebb.coldstart.ColdStartSummaries;
import dev.ebb.metrics.RequestHistory;
import dev.ebb.revision.Condition;
import dev.ebb.service.ServiceView;
import dev.ebb.spec.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One service as a row of the dashboard's list: what it is, whether it is Ready, where its traffic goes, and, for
 * an answer about now, its instances and cold starts.
 *
 * @param url the service's URL, as its status has it
 * @param conditions all of the service's conditions, Ready among them: RoutesReady says whether its traffic is served,
 *     ConfigurationsReady whether its latest created revision is ready, so a list can tell a service that serves while
 *     its newest revision failed from one that does not serve
 * @param traffic the traffic as the service's status resolves it (latestRevision targets named)
 * @param instances summed over the revisions the traffic reaches; null in a point-in-time answer
 * @param coldStart the last 24 hours' cold starts; null in a point-in-time answer
 * @param requests the last minute's request rate and error rate, all revisions together; null in a point-in-time answer
 * @param rollout the rollout in progress (or paused), which the services list marks; null when none is
 */
public record ServiceSummary(
        String namespace,
        String name,
        Map<String, String> labels,
        String visibility,
        String url,
        Ready ready,
        List<Condition> conditions,
        String latestCreatedRevision,
        String latestReadyRevision,
        List<ServiceView.StatusTraffic> traffic,
        Instances instances,
        ColdStart coldStart,
        RequestHistory.Rates requests,
        Instant updatedAt,
        String updatedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) ServiceView.RolloutStatus rollout) {

    /** The service's Ready condition: {@code status} is {@code True}, {@code False} or {@code Unknown}. */
    public record Ready(String status, String reason, String message) {

        static final Ready UNKNOWN = new Ready(Condition.UNKNOWN, null, null);
    }

    /** Instances the runtime wants and has ready. */
    public record Instances(int desired, int ready) {
    }

    /**
     * Cold starts against the service's SLO.
     *
     * @param slo the service's {@code coldStartSlo} as written in its spec, {@code sloMs} the same in milliseconds
     * @param count cold starts that got a response
     * @param p95Ms their 95th percentile (nearest rank, as {@code GET .../coldstarts} computes it); null without any
     * @param withinSlo whether {@code p95Ms} is at most the SLO; null without any. Not the share within the SLO that
     *     {@code GET .../coldstarts} calls {@code withinSlo}: a row has room for a verdict, not a fraction
     */
    public record ColdStart(String slo, long sloMs, long count, Long p95Ms, Boolean withinSlo) {

        static ColdStart of(String slo, ColdStartSummaries.Summary summary) {
            long sloMs = Durations.parse(slo).map(Duration::toMillis).orElse(0L);
            Boolean within = summary.p95Ms() == null ? null : summary.p95Ms() <= sloMs;
            return new ColdStart(slo, sloMs, summary.count(), summary.p95Ms(), within);
        }
    }

    /** The row of a service view; {@code instances}, {@code coldStart} and {@code requests} may be null (an answer about the past). */
    static ServiceSummary of(ServiceView view, Instances instances, ColdStart coldStart, RequestHistory.Rates requests) {
        ServiceView.Status status = view.status();
        Ready ready = status == null || status.conditions() == null ? Ready.UNKNOWN : status.conditions().stream()
                .filter(c -> "Ready".equals(c.type()))
                .findFirst()
                .map(c -> new Ready(c.status(), c.reason(), c.message()))
                .orElse(Ready.UNKNOWN);
        ServiceView.Metadata metadata = view.metadata();
        return new ServiceSummary(view.namespace(), view.name(), view.labels() == null ? Map.of() : view.labels(),
                view.visibility(), status == null ? null : status.url(), ready,
                status == null || status.conditions() == null ? List.of() : status.conditions(),
                status == null ? null : status.latestCreatedRevision(), status == null ? null : status.latestReadyRevision(),
                status == null || status.traffic() == null ? List.of() : status.traffic(), instances, coldStart, requests,
                metadata == null ? null : metadata.updatedAt(), metadata == null ? null : metadata.updatedBy(),
                status == null || status.rollout() == null || !List.of("progressing", "paused").contains(status.rollout().state())
                        ? null : status.rollout());
    }
}
