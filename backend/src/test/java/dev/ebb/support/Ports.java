package dev.ebb.support;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for the servers tests start. A server that keeps its port while the test runs takes {@link #free()},
 * one the kernel finds free. A server that is stopped and started again on the same port (a relay cut and restored, a
 * PostgreSQL, gateway or control plane restarted) takes {@link #restartable()}: a port from the kernel's ephemeral range,
 * left unbound while the server is down, can be handed to any outgoing connection of the machine in the meantime (every
 * loopback client takes one, and a load test opens thousands), and the restart then fails with "Address already in
 * use". The kernel never hands out a port below that range by itself.
 */
public final class Ports {

    /** Ports 24000 to 31999, 1,000 for each test JVM: under 32768, where Linux's ephemeral range starts by default. */
    private static final int FIRST_PORT = 24_000;
    private static final int PORTS_PER_FORK = 1_000;
    /** Where this JVM's next restartable port is looked for: no port is handed out twice in a run. */
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(PORTS_PER_FORK));

    private Ports() {
    }

    /** A loopback port free now, chosen by the kernel. */
    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A loopback port free now, below the ephemeral range and in this test JVM's own block of them. */
    public static int restartable() throws IOException {
        int first = FIRST_PORT + (TestFork.number() - 1) % 8 * PORTS_PER_FORK;
        for (int tried = 0; tried < PORTS_PER_FORK; tried++) {
            int port = first + Math.floorMod(NEXT.getAndIncrement(), PORTS_PER_FORK);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (BindException e) {
                // taken by something else on the machine: the next one
            }
        }
        throw new BindException("No free loopback port from " + first + " to " + (first + PORTS_PER_FORK - 1));
    }
}
