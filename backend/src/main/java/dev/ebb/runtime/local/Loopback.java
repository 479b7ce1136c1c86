package dev.ebb.runtime.local;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Connections to an instance's port on 127.0.0.1 that never mistake a port nobody listens on for a listening one.
 * Instances get their ports from the kernel's ephemeral range, where outgoing connections take their source ports too: a
 * connect to a closed port there comes back connected when the kernel happens to pick that very port as the source
 * (TCP's simultaneous open, to itself). Polled every few milliseconds while an instance starts, that happens now and
 * then, and an instance that never listens was once taken for ready. Go's net package refuses such a connection the same
 * way.
 */
final class Loopback {

    private Loopback() {
    }

    /** A connection to {@code 127.0.0.1:port}; a connect that only reached itself is refused. */
    static Socket connect(int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            if (connectedToItself(socket)) {
                throw new ConnectException("nothing listens on 127.0.0.1:" + port + " (the connect reached only itself)");
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Whether the socket's two ends are one: the same address and port. */
    static boolean connectedToItself(Socket socket) {
        return socket.getLocalPort() == socket.getPort() && socket.getLocalAddress().equals(socket.getInetAddress());
    }
}
