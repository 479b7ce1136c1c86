package dev.ebb.gateway;

import java.util.Locale;

/** Host header handling: the name a request is addressed to, without port, trailing dot or case. */
final class Hosts {

    private Hosts() {
    }

    /** {@code Sentiment.ML.ebb.localhost.:8443} becomes {@code sentiment.ml.ebb.localhost}; null stays null. */
    static String normalize(String host) {
        if (host == null) {
            return null;
        }
        int end = host.length();
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                end = colon;
            }
        }
        if (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        String name = end == host.length() ? host : host.substring(0, end);
        return name.toLowerCase(Locale.ROOT);
    }
}
