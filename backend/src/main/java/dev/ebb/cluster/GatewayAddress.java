package dev.ebb.cluster;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a cluster's gateways take requests forwarded by the gateways of other clusters: {@code host:port} of their
 * peer listener ({@code EBB_GATEWAY_PEER_PORT}) as the other clusters reach it, e.g. a LoadBalancer Service's address.
 */
public record GatewayAddress(String host, int port) {

    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+]");
    private static final String EXAMPLE = "write it as host:port, e.g. \"gateway\": \"ebb-peer.eu.example.com:8083\" or "
            + "\"10.20.0.5:8083\"";

    /** The address, or why {@code text} is not one (a sentence that says how to write it). */
    public static Parsed parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Parsed.wrong("is '" + text + "', which has no port; " + EXAMPLE);
        }
        String host = text.substring(0, colon);
        if (host.length() > 253 || !HOST.matcher(host).matches()) {
            return Parsed.wrong("has '" + host + "', which is not a host name or IP address; " + EXAMPLE);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            return Parsed.wrong("has port '" + text.substring(colon + 1) + "'; a port is a number from 1 to 65535; " + EXAMPLE);
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new Parsed(Optional.of(new GatewayAddress(bare, port)), null);
    }

    /** @param problem why the text is not an address, null when it is */
    public record Parsed(Optional<GatewayAddress> address, String problem) {

        static Parsed wrong(String problem) {
            return new Parsed(Optional.empty(), problem);
        }
    }
}
