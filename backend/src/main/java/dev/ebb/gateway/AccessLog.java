package dev.ebb.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One key=value line per request on the logger {@code ebb.gateway.access}; a dash marks what does not apply. The
 * line is built here with a plain StringBuilder and logged as it is: SLF4J's parameter formatting scanned the
 * pattern and boxed the numbers on the event loop for every request.
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("ebb.gateway.access");

    private AccessLog() {
    }

    static boolean enabled() {
        return log.isInfoEnabled();
    }

    static void write(String requestId, String host, String method, String path, int status, String revision, String instance,
            long durationMillis, long bytes) {
        StringBuilder line = new StringBuilder(160 + path.length());
        line.append("requestId=").append(requestId)
                .append(" host=").append(dash(host))
                .append(" method=").append(method)
                .append(" path=").append(path)
                .append(" status=").append(status)
                .append(" revision=").append(dash(revision))
                .append(" instance=").append(dash(instance))
                .append(" durationMs=").append(durationMillis)
                .append(" bytes=").append(bytes);
        log.info(line.toString());
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
