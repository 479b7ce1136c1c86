package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.gateway.GatewayProperties.TransportSetting;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {

    /** A host that offers exactly {@code offered}; NIO is always there. */
    private static Function<Transport, Throwable> offering(Set<Transport> offered) {
        return transport -> offered.contains(transport) || transport == Transport.NIO ? null
                : new IllegalStateException("failed to load", new IOException(transport == Transport.IO_URING
                        ? "io_uring_setup: Operation not permitted" : "no libnetty_transport_native_epoll"));
    }

    private static final boolean QUIET = true;
    private static final boolean NOISY = false;

    @Test
    void autoTakesIoUringWhereItIsOfferedAndItsIdleWaitsAreQuiet() {
        TransportChoice choice = TransportChoice.choose(TransportSetting.AUTO, offering(Set.of(Transport.IO_URING, Transport.EPOLL)), QUIET);

        assertThat(choice.transport()).isEqualTo(Transport.IO_URING);
        assertThat(choice.description()).isEqualTo("io_uring");
    }

    @Test
    void autoPassesOverIoUringWhoseIdleWaitsWouldCountAsIowaitAndSaysSo() {
        TransportChoice choice = TransportChoice.choose(TransportSetting.AUTO, offering(Set.of(Transport.IO_URING, Transport.EPOLL)), NOISY);

        assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
        assertThat(choice.description()).isEqualTo("epoll (io_uring passed over: its idle waits would count as iowait here "
                + "(they do not on Linux 6.15 or later, unless -Dio.netty.iouring.enterNoIoWaitEnabled=false))");
    }

    @Test
    void autoTakesEpollWhereASeccompProfileRefusesIoUringAndSaysWhy() {
        TransportChoice choice = TransportChoice.choose(TransportSetting.AUTO, offering(Set.of(Transport.EPOLL)), QUIET);

        assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
        assertThat(choice.description()).isEqualTo("epoll (io_uring unavailable here: io_uring_setup: Operation not permitted)");
    }

    @Test
    void autoEndsOnNioWhereNoNativeTransportLoadsAndSaysWhy() {
        TransportChoice choice = TransportChoice.choose(TransportSetting.AUTO, offering(Set.of()), QUIET);

        assertThat(choice.transport()).isEqualTo(Transport.NIO);
        assertThat(choice.description()).isEqualTo("NIO (io_uring unavailable here: io_uring_setup: Operation not permitted; "
                + "epoll unavailable here: no libnetty_transport_native_epoll)");
    }

    @Test
    void ioUringIsTakenWhenAskedForAndOffered() {
        TransportChoice choice = TransportChoice.choose(TransportSetting.IO_URING, offering(Set.of(Transport.IO_URING, Transport.EPOLL)), QUIET);

        assertThat(choice.transport()).isEqualTo(Transport.IO_URING);
        assertThat(choice.description()).isEqualTo("io_uring (as set)");
    }

    @Test
    void ioUringAskedForWhereItsIdleWaitsCountAsIowaitIsTakenAndTheStartUpLineSaysSo() {
        TransportChoice choice = TransportChoice.choose(TransportSetting.IO_URING, offering(Set.of(Transport.IO_URING, Transport.EPOLL)), NOISY);

        assertThat(choice.transport()).isEqualTo(Transport.IO_URING);
        assertThat(choice.description()).isEqualTo("io_uring (as set; its idle waits would count as iowait here (they do not "
                + "on Linux 6.15 or later, unless -Dio.netty.iouring.enterNoIoWaitEnabled=false))");
    }

    @Test
    void anExplicitSettingTheHostOffersIsTakenEvenWhenABetterOneIsThere() {
        TransportChoice choice = TransportChoice.choose(TransportSetting.NIO, offering(Set.of(Transport.IO_URING, Transport.EPOLL)), QUIET);

        assertThat(choice.transport()).isEqualTo(Transport.NIO);
        assertThat(choice.description()).isEqualTo("NIO (as set)");
    }

    @Test
    void anExplicitSettingTheHostDoesNotOfferStopsTheStartNamingTheCauseAndTheWayOut() {
        assertThatThrownBy(() -> TransportChoice.choose(TransportSetting.IO_URING, offering(Set.of(Transport.EPOLL)), QUIET))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ebb.gateway.transport (EBB_GATEWAY_TRANSPORT) is io_uring, but this host does not offer it: "
                        + "io_uring_setup: Operation not permitted. Set it to auto, the default, to use the best transport "
                        + "the host offers, or to one it does offer.");
    }
}
