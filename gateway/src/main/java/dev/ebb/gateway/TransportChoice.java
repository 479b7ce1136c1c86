package dev.ebb.gateway;

import dev.ebb.gateway.GatewayProperties.TransportSetting;
import io.vertx.core.transport.Transport;
import java.util.function.Function;

/**
 * The transport the gateway's event loops run on, and why: the one the setting insists on, or for {@code auto} the
 * cheapest the host offers without a cost elsewhere. io_uring costs the event loops an eighth to a third less CPU per
 * request than epoll (BENCHMARKS.md, data plane, sessions 27-28), but an idle io_uring event loop waits in a way the
 * kernel counts as iowait unless it can ask not to (Linux 6.15 or later, Netty 4.2.16 or later): on older kernels a quiet
 * host running the gateway would report ~100 % iowait, so {@code auto} takes io_uring only where its idle waits are
 * quiet, else epoll, else NIO. Container runtimes' default seccomp profiles refuse io_uring's system calls, which
 * {@code auto} reads as "not offered".
 *
 * @param transport what Vert.x is built with
 * @param description the transport's name and, where a cheaper one was passed over, why; for the start-up line
 */
record TransportChoice(Transport transport, String description) {

    private static final String NOISY_IDLE = "its idle waits would count as iowait here (they do not on Linux 6.15 or later, unless "
            + "-Dio.netty.iouring.enterNoIoWaitEnabled=false)";

    /**
     * @param setting what the settings ask for
     * @param unavailability why a transport cannot be used here, or null when it can (Vert.x's
     *        {@link Transport#unavailabilityCause()}, which tries the native library and the kernel)
     * @param ioUringIdlesQuietly whether io_uring's idle waits are kept out of the host's iowait here
     * @throws IllegalStateException when the setting insists on a transport this host does not offer
     */
    static TransportChoice choose(TransportSetting setting, Function<Transport, Throwable> unavailability,
            boolean ioUringIdlesQuietly) {
        if (setting == TransportSetting.AUTO) {
            Throwable ioUring = unavailability.apply(Transport.IO_URING);
            if (ioUring == null && ioUringIdlesQuietly) {
                return new TransportChoice(Transport.IO_URING, "io_uring");
            }
            String passedOver = ioUring != null ? "io_uring unavailable here: " + reason(ioUring)
                    : "io_uring passed over: " + NOISY_IDLE;
            Throwable epoll = unavailability.apply(Transport.EPOLL);
            return epoll == null ? new TransportChoice(Transport.EPOLL, "epoll (" + passedOver + ")")
                    : new TransportChoice(Transport.NIO, "NIO (" + passedOver + "; epoll unavailable here: " + reason(epoll) + ")");
        }
        Transport wanted = of(setting);
        Throwable cause = wanted == Transport.NIO ? null : unavailability.apply(wanted);
        if (cause != null) {
            throw new IllegalStateException("ebb.gateway.transport (EBB_GATEWAY_TRANSPORT) is " + name(wanted)
                    + ", but this host does not offer it: " + reason(cause) + ". Set it to auto, the default, to use the "
                    + "best transport the host offers, or to one it does offer.");
        }
        boolean noisy = wanted == Transport.IO_URING && !ioUringIdlesQuietly;
        return new TransportChoice(wanted, name(wanted) + (noisy ? " (as set; " + NOISY_IDLE + ")" : " (as set)"));
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
