package dev.ebb.runtime.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.time.Duration;

/**
 * Two clients of one API server: {@code calls} for reads and writes, which give up after the client's read timeout,
 * and {@code watches}, whose read timeout outlasts a watch (client-java's informers end each after 5 to 10 minutes);
 * one client cannot be both.
 */
public record ApiClients(ApiClient calls, ApiClient watches) {

    /** Longer than the longest watch an informer asks for, so that only a silent API server ends one early. */
    static final Duration WATCH_READ_TIMEOUT = Duration.ofMinutes(11);

    /** Builds the client twice from the same source: a kubeconfig, a service account. */
    public static ApiClients of(Source source) throws IOException {
        ApiClient watches = source.build();
        watches.setReadTimeout((int) WATCH_READ_TIMEOUT.toMillis());
        return new ApiClients(source.build(), watches);
    }

    /** Where a client of the cluster comes from. */
    @FunctionalInterface
    public interface Source {
        ApiClient build() throws IOException;
    }
}
