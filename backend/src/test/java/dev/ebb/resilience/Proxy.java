package dev.ebb.resilience;

import dev.ebb.support.GatewayProcess;
import java.io.IOException;

/** A proxy that scenario 7 floods: where it listens, and the memory and CPU its processes use. */
interface Proxy {

    /** What the reports call it. */
    String name();

    int port();

    /** Resident memory of all its processes, KiB. */
    long residentKib() throws IOException;

    /** CPU time of all its processes so far, ns. */
    long cpuNanos() throws IOException;

    /** Ebb's standalone gateway. */
    static Proxy of(GatewayProcess gateway) {
        return new Proxy() {
            @Override
            public String name() {
                return "gateway";
            }

            @Override
            public int port() {
                return gateway.port();
            }

            @Override
            public long residentKib() throws IOException {
                return gateway.residentKib();
            }

            @Override
            public long cpuNanos() throws IOException {
                return gateway.cpuNanos();
            }
        };
    }
}
