package dev.ebb.gateway;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of a message's {@code Connection} headers (RFC 9110 7.6.1): the names of its per-connection headers,
 * and {@code close} or {@code keep-alive}.
 */
final class ConnectionTokens {

    private ConnectionTokens() {
    }

    /** Every token of every {@code Connection} header, or null when there is none. */
    static List<String> of(MultiMap headers) {
        List<String> tokens = null;
        for (String connection : headers.getAll("connection")) {
            for (String token : connection.split(",")) {
                String trimmed = token.trim();
                if (!trimmed.isEmpty()) {
                    if (tokens == null) {
                        tokens = new ArrayList<>();
                    }
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }

    /** Whether {@code tokens} (null: none) holds {@code token}, ignoring case. */
    static boolean contains(List<String> tokens, String token) {
        if (tokens == null) {
            return false;
        }
        for (String candidate : tokens) {
            if (candidate.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
