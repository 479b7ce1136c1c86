package dev.ebb.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain HTTP/1.1 over its own socket, with any Host header and any request line: the JDK client will not send a Host
 * of our choosing, nor a path it would normalise.
 */
public final class RawHttp {

    /** What came back; header names in lower case. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    public static Answer get(int port, String host, String path) throws IOException {
        return get("127.0.0.1", port, host, path);
    }

    /** The same to a server listening on {@code address} rather than 127.0.0.1. */
    public static Answer get(String address, int port, String host, String path) throws IOException {
        return exchange(address, port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code request} exactly as given (it should ask for {@code Connection: close}) and reads the answer. */
    public static Answer exchange(int port, String request) throws IOException {
        return exchange("127.0.0.1", port, request);
    }

    private static Answer exchange(String address, int port, String request) throws IOException {
        try (Socket socket = new Socket(address, port)) {
            socket.setSoTimeout(120_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            Map<String, String> headers = new TreeMap<>();
            String[] lines = response.substring(0, end).split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, response.substring(end + 4));
        }
    }
}
