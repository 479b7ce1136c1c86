package dev.ebb.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The access log's line format, as bytes: {@code <ISO-8601 UTC timestamp to the millisecond> ebb.gateway.access
 * requestId=... host=... method=... path=... status=... revision=... instance=... durationMs=... bytes=...}, a dash
 * for what does not apply, values escaped by {@link LineBytes#escaped}. Formats each second's part of the
 * timestamp once; one instance per thread, since it keeps that second.
 */
final class AccessLineFormat {

    private static final byte[] LOGGER = ascii(" ebb.gateway.access");
    private static final byte[] REQUEST_ID = ascii(" requestId=");
    private static final byte[] HOST = ascii(" host=");
    private static final byte[] METHOD = ascii(" method=");
    private static final byte[] PATH = ascii(" path=");
    private static final byte[] STATUS = ascii(" status=");
    private static final byte[] REVISION = ascii(" revision=");
    private static final byte[] INSTANCE = ascii(" instance=");
    private static final byte[] DURATION = ascii(" durationMs=");
    private static final byte[] BYTES = ascii(" bytes=");
    private static final byte[] DROPPED = ascii(" dropped=");
    private static final byte[] QUEUE_FULL = ascii(" (queue full)\n");

    private long second = Long.MIN_VALUE;
    /** The timestamp up to and including the dot before the milliseconds, e.g. {@code 2026-11-26T14:04:18.}. */
    private byte[] secondPrefix;

    /**
     * One request's line.
     *
     * @param host the Host (authority) without its port, null when the request had none
     * @param port the authority's port, negative when it named none
     */
    void request(LineBytes to, long epochMillis, String requestId, String host, int port, String method, String path, int status,
            String revision, String instance, long durationMillis, long bytes) {
        timestamp(to, epochMillis);
        to.append(LOGGER);
        to.append(REQUEST_ID).valueOrDash(requestId);
        to.append(HOST);
        if (host == null || host.isEmpty() && port < 0) {
            to.append((byte) '-');
        } else {
            to.escaped(host);
            if (port >= 0) {
                to.append((byte) ':').decimal(port);
            }
        }
        to.append(METHOD).valueOrDash(method);
        to.append(PATH).valueOrDash(path);
        to.append(STATUS).decimal(status);
        to.append(REVISION).valueOrDash(revision);
        to.append(INSTANCE).valueOrDash(instance);
        to.append(DURATION).decimal(durationMillis);
        to.append(BYTES).decimal(bytes).append((byte) '\n');
    }

    /** The line that says how many lines were dropped because the writer was behind. */
    void dropped(LineBytes to, long epochMillis, long count) {
        timestamp(to, epochMillis);
        to.append(LOGGER).append(DROPPED).decimal(count).append(QUEUE_FULL);
    }

    private void timestamp(LineBytes to, long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s != second) {
            String whole = Instant.ofEpochSecond(s).toString();
            secondPrefix = ascii(whole.substring(0, whole.length() - 1) + ".");
            second = s;
        }
        int millis = Math.floorMod(epochMillis, 1000);
        to.append(secondPrefix)
                .append((byte) ('0' + millis / 100))
                .append((byte) ('0' + millis / 10 % 10))
                .append((byte) ('0' + millis % 10))
                .append((byte) 'Z');
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
