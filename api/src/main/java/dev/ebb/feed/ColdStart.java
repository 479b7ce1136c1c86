package dev.ebb.feed;

import java.time.Instant;

/**
 * A request that arrived while its revision had no ready instance, as the gateway saw it.
 *
 * @param instance the instance that finally served it
 * @param arrived when the gateway received the request
 * @param forwarded when the gateway sent it to the instance
 * @param firstByte when the gateway sent the first byte of the response to the caller
 * @param status the response status
 */
public record ColdStart(String namespace, String service, String revision, String instance, String requestId,
        Instant arrived, Instant forwarded, Instant firstByte, int status) {
}
