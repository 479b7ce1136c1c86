package dev.ebb.gateway;

import dev.ebb.gateway.GatewayProperties.TransportSetting;
import io.vertx.core.transport.Transport;
import java.util.function.Function;

/**
 * The transport the gateway's event loops run on, and why: the one the setting insists on, or for {@code auto} epoll,
 * else NIO. io_uring costs the event loops less CPU per request (BENCHMARKS.md, data plane, session 27) but is only
 * taken when asked for: with Netty 4.2.15 an idle io_uring event loop waits in a way the kernel counts as iowait, so a
 * quiet host running the gateway reports ~100 % iowait (kernels from 6.15 and later Netty releases can turn that off),
 * and container runtimes' default seccomp profiles refuse its system calls anyway.
 *
 * @param transport what Vert.x is built with
 * @param description the transport's name and, where epoll was passed over, why; for the start-up line
 */
record TransportChoice(Transport transport, String description) {

    /**
     * @param setting what the settings ask for
     * @param unavailability why a transport cannot be used here, or null when it can (Vert.x's
     *        {@link Transport#unavailabilityCause()}, which tries the native library and the kernel)
     * @throws IllegalStateException when the setting insists on a transport this host does not offer
     */
    static TransportChoice choose(TransportSetting setting, Function<Transport, Throwable> unavailability) {
        if (setting == TransportSetting.AUTO) {
            Throwable epoll = unavailability.apply(Transport.EPOLL);
            return epoll == null ? new TransportChoice(Transport.EPOLL, "epoll")
                    : new TransportChoice(Transport.NIO, "NIO (epoll unavailable here: " + reason(epoll) + ")");
        }
        Transport wanted = of(setting);
        Throwable cause = wanted == Transport.NIO ? null : unavailability.apply(wanted);
        if (cause != null) {
            throw new IllegalStateException("ebb.gateway.transport (EBB_GATEWAY_TRANSPORT) is " + name(wanted)
                    + ", but this host does not offer it: " + reason(cause) + ". Set it to auto, the default, to use the "
                    + "best transport the host offers, or to one it does offer.");
        }
        return new TransportChoice(wanted, name(wanted) + " (as set)");
    }

    /** The transport an explicit setting names. */
    static Transport of(TransportSetting setting) {
        return switch (setting) {
            case IO_URING -> Transport.IO_URING;
            case EPOLL -> Transport.EPOLL;
            case NIO -> Transport.NIO;
            case AUTO -> throw new IllegalArgumentException("auto names no transport: choose() picks one");
        };
    }

    private static String name(Transport transport) {
        return transport == Transport.IO_URING ? "io_uring" : transport == Transport.EPOLL ? "epoll" : "NIO";
    }

    /** The innermost message of a cause: Netty wraps the kernel's refusal in a few layers. */
    private static String reason(Throwable cause) {
        Throwable innermost = cause;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        return message == null || message.isBlank() ? innermost.getClass().getSimpleName() : message;
    }
}
