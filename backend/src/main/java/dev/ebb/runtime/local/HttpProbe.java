package dev.ebb.runtime.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A readiness probe's HTTP/1.1 {@code GET}, as a kubelet sends it: one connection, the request, the status line, the
 * rest of the answer read and dropped, then closed. Written on a plain socket so that its first use costs nothing
 * more than its later ones (the JDK's HTTP client takes a few hundred milliseconds to load at its first request, and
 * the first probe of a starting instance is often on a cold start's path).
 */
final class HttpProbe {

    /** The most of an answer that is read before the connection is closed: a health page is small. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private HttpProbe() {
    }

    /**
     * The status code {@code GET path} gets from {@code 127.0.0.1:port}, or -1 when no well-formed status line came back.
     *
     * @throws IOException when the connection fails or times out ({@code timeout} for the connect and for each read)
     */
    static int status(int port, String path, Duration timeout) throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = Loopback.connect(port, millis)) {
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUser-Agent: ebb-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            StringBuilder statusLine = new StringBuilder();
            boolean lineDone = false;
            int total = 0;
            int read;
            // Read to the end (the instance closes, as asked), so it never writes into a closed connection and logs that.
            try {
                while (total < MAX_ANSWER_BYTES && (read = in.read(buffer)) > 0) {
                    for (int i = 0; i < read && !lineDone; i++) {
                        if (buffer[i] == '\r' || buffer[i] == '\n' || statusLine.length() > 64) {
                            lineDone = true;
                        } else {
                            statusLine.append((char) (buffer[i] & 0xff));
                        }
                    }
                    total += read;
                }
            } catch (SocketTimeoutException e) {
                if (!lineDone) {
                    throw e;
                }
                // The status came; a body that does not end (a stream kept open) does not make the answer count less.
            }
            return parse(statusLine.toString());
        }
    }

    /** The code of a status line such as {@code HTTP/1.1 200 OK}; -1 when it is not one. */
    static int parse(String statusLine) {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            return -1;
        }
        String code = statusLine.substring(9, 12);
        for (int i = 0; i < 3; i++) {
            if (!Character.isDigit(code.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(code);
    }
}
