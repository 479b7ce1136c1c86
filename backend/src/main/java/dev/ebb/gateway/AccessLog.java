package dev.ebb.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One key=value line per request on the logger {@code ebb.gateway.access}; a dash marks what does not apply. */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("ebb.gateway.access");

    private AccessLog() {
    }

    static boolean enabled() {
        return log.isInfoEnabled();
    }

    static void write(String requestId, String host, String method, String path, int status, String revision, String instance,
            long durationMillis, long bytes) {
        log.info("requestId={} host={} method={} path={} status={} revision={} instance={} durationMs={} bytes={}", requestId,
                dash(host), method, path, status, dash(revision), dash(instance), durationMillis, bytes);
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
