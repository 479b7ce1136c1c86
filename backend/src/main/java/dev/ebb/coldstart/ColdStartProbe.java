package dev.ebb.coldstart;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.autoscaler.Autoscaler;
import dev.ebb.gateway.Gateway;
import dev.ebb.metrics.RequestHistory;
import dev.ebb.problem.ConflictException;
import dev.ebb.revision.RevisionStore;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.runtime.Runtimes;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceView;
import dev.ebb.spec.Durations;
import dev.ebb.spec.Template;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finds a revision's scale-from-zero lag before users do: takes it to zero, sends one request through the
 * gateway, reads how long it waited, and repeats. Runs in the caller's request, one run after another.
 */
final class ColdStartProbe {

    private static final Duration ZERO_DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int ATTEMPTS_PER_RUN = 3;

    private final ServiceCatalog catalog;
    private final RevisionStore revisions;
    private final ObjectProvider<Autoscaler> autoscaler;
    private final Runtimes runtime;
    private final ObjectProvider<Gateway> gateway;
    private final AuditLog audit;
    private final ProbeRequests probes;
    private final RequestHistory requests;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ColdStartProbe(ServiceCatalog catalog, RevisionStore revisions, ObjectProvider<Autoscaler> autoscaler,
            Runtimes runtime, ObjectProvider<Gateway> gateway, AuditLog audit, ProbeRequests probes, RequestHistory requests,
            TransactionTemplate transactions, Clock clock) {
        this.probes = probes;
        this.requests = requests;
        this.catalog = catalog;
        this.revisions = revisions;
        this.autoscaler = autoscaler;
        this.runtime = runtime;
        this.gateway = gateway;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    ProbeResult probe(String namespace, String service, ProbeBody body, Actor actor) {
        ServiceView view = catalog.get(namespace, service).view();
        Autoscaler scaler = autoscaler.getIfAvailable();
        Gateway through = gateway.getIfAvailable();
        if (scaler == null || runtime.clusters().isEmpty()) {
            throw new ConflictException("No runtime runs revisions in this Ebb (ebb.runtime.enabled=false), so there is no cold "
                    + "start to measure.");
        }
        if (through == null) {
            throw new ConflictException("The probe sends its requests through the gateway in this process, and this Ebb runs "
                    + "none (ebb.gateway.enabled=false); probe from an Ebb that runs one.");
        }
        Set<String> routed = new LinkedHashSet<>();
        view.status().traffic().stream().filter(ServiceView.StatusTraffic::routed).forEach(t -> routed.add(t.revision()));
        Map<String, Template> templates = revisions.templatesByName(namespace, routed);
        ProbeRules.Plan plan = ProbeRules.plan(body, view, revision -> {
            Template template = templates.get(revision);
            return template == null ? null : template.readiness().path();
        });
        int timeoutSeconds = templates.containsKey(plan.revision()) ? templates.get(plan.revision()).timeoutSeconds() : 300;
        ProbeRules.refuseWhileServing(plan, body, view, requests.recentRevision(namespace, service, plan.revision(), clock.instant()));

        List<ProbeResult.Run> runs = new ArrayList<>();
        for (int i = 0; i < plan.runs(); i++) {
            ProbeResult.Run run = null;
            for (int attempt = 1; attempt <= ATTEMPTS_PER_RUN && (run == null || !run.cold()); attempt++) {
                toZero(scaler, through, namespace, plan.revision());
                run = send(through.port(), plan, timeoutSeconds, attempt, probes.next());
            }
            runs.add(run);
        }
        String slo = view.coldStartSlo();
        ProbeResult result = ProbeResult.of(plan, slo, Durations.parse(slo).orElse(Duration.ofSeconds(10)).toMillis(), runs);
        transactions.executeWithoutResult(status -> audit.record(clock.instant(), actor, "coldstart.probe", namespace, service,
                "namespaces/" + namespace + "/services/" + service + "/coldstart-probe", null, result));
        return result;
    }

    /** Takes the revision to zero and waits until neither the runtime nor the gateway has an instance of it. */
    private void toZero(Autoscaler scaler, Gateway through, String namespace, String revision) {
        if (!scaler.scaleToZeroNow(namespace, revision)) {
            throw new ConflictException("Revision " + revision + " is kept from zero (template.scale.min, or a warm request: "
                    + "see GET .../warm), so it has no cold start to measure. End the warm request or probe a revision with "
                    + "scale.min 0.");
        }
        long deadline = System.nanoTime() + ZERO_DEADLINE.toNanos();
        while (readyInstances(namespace, revision) > 0 || through.routedInstances(namespace, revision) > 0) {
            if (System.nanoTime() > deadline) {
                throw new ConflictException("Revision " + revision + " did not reach zero within " + ZERO_DEADLINE.toSeconds()
                        + " s: it keeps getting traffic. Probe it when it is idle, or probe a tagged revision nobody calls.");
            }
            pause();
        }
    }

    private int readyInstances(String namespace, String revision) {
        return runtime.observe(namespace, revision).map(RevisionObservation::ready).orElse(0);
    }

    /**
     * One GET through the gateway's internal listener with the plan's Host, timed to the first byte of the
     * response; the body is not read. A plain socket, because the JDK's client will not send a chosen Host.
     */
    private static ProbeResult.Run send(int port, ProbeRules.Plan plan, int timeoutSeconds, int attempt, String requestId) {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((timeoutSeconds + 10) * 1000);
            socket.getOutputStream().write(("GET " + plan.path() + " HTTP/1.1\r\nHost: " + plan.host()
                    + "\r\nUser-Agent: ebb-coldstart-probe\r\nX-Request-Id: " + requestId
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            int first = in.read();
            long totalMs = (System.nanoTime() - start) / 1_000_000;
            String head = (first < 0 ? "" : (char) first) + readHead(in);
            String[] lines = head.split("\r\n");
            int status = lines[0].length() >= 12 ? Integer.parseInt(lines[0].substring(9, 12)) : 0;
            Long coldStartMs = null;
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("ebb-cold-start")) {
                    coldStartMs = Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            return new ProbeResult.Run(status, totalMs, coldStartMs, attempt);
        } catch (IOException | NumberFormatException e) {
            throw new ProbeFailedException("The probe's request to " + plan.host() + plan.path() + " through the gateway failed: "
                    + e.getMessage());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && head.length() < 64 * 1024) {
            head.append((char) c);
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n'
                    && head.charAt(n - 4) == '\r') {
                break;
            }
        }
        return head.toString();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictException("The probe was interrupted");
        }
    }
}
