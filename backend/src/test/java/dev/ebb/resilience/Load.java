package dev.ebb.resilience;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Load through a gateway (HTTP/1.1, a connection per request, any Host) until told to stop, keeping every answer with
 * its timing. Closed-loop: callers that each send their next request as soon as the last one is answered (the number
 * of callers can change while it runs). Or {@link #paced open-loop at a fixed rate}, as a service's many clients send
 * whatever the answers take: each request goes out when it is due, on a connection of its own, however many are still
 * in flight, and its time counts from when it was due (a client that fell behind waited as its caller would have).
 * Sending the next request only after the last one's answer, at a fixed rate, would instead turn one slow answer into
 * a backlog that every later request of that caller waits behind: seconds of made-up latency from a 100 ms answer.
 */
final class Load {

    /** What became of one request. */
    enum Fate {
        /** An answer with a status; 2xx or not. */
        ANSWERED,
        /** The connection was refused: nothing was sent, a client may retry it safely. */
        REFUSED,
        /** Sent, and the connection broke before a whole answer came back. */
        BROKEN,
        /** Sent, and no answer within the timeout. */
        LOST
    }

    /** One request: when it started (nanoTime), how long it took, and what came back. */
    record Call(long startNanos, long nanos, Fate fate, int status, String body) {

        boolean ok() {
            return fate == Fate.ANSWERED && status >= 200 && status < 300;
        }
    }

    private static final int TIMEOUT_MILLIS = 120_000;
    private static final long FAILURE_BACKOFF_NANOS = 20_000_000;
    /** At most this many open-loop requests in flight at once; one due beyond it waits for a sender, timed from when due. */
    private static final int MAX_IN_FLIGHT = 512;

    private final int port;
    private final String host;
    private final String path;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final List<Caller> callers = new ArrayList<>();
    private final long intervalNanos;
    /** Sends the open-loop requests: one thread each while in flight, at most {@link #MAX_IN_FLIGHT}. */
    private final ExecutorService senders;

    Load(int port, String host, String path, int callers) {
        this(port, host, path, callers, 0);
    }

    private Load(int port, String host, String path, int callers, long intervalNanos) {
        this.port = port;
        this.host = host;
        this.path = path;
        this.intervalNanos = intervalNanos;
        this.senders = intervalNanos > 0 ? new ThreadPoolExecutor(0, MAX_IN_FLIGHT, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> new Thread(runnable, "load-sender"), new ThreadPoolExecutor.CallerRunsPolicy()) : null;
        callers(callers);
    }

    /**
     * {@code clients} clients that each send {@code perSecond} requests a second, open-loop (see the class), spread evenly:
     * {@code clients * perSecond} requests a second in all.
     */
    static Load paced(int port, String host, String path, int clients, int perSecond) {
        return new Load(port, host, path, 1, 1_000_000_000L / ((long) clients * perSecond));
    }

    /** Adds or stops callers until {@code count} run; a stopped caller finishes the request it has in flight. */
    synchronized void callers(int count) {
        while (callers.size() < count) {
            Caller caller = new Caller();
            callers.add(caller);
            caller.thread.start();
        }
        while (callers.size() > count) {
            callers.remove(callers.size() - 1).running.set(false);
        }
    }

    /** Stops every caller, waits for their last requests, and returns every call made. */
    List<Call> stop() throws InterruptedException {
        List<Caller> stopping;
        synchronized (this) {
            stopping = new ArrayList<>(callers);
            callers.clear();
        }
        stopping.forEach(caller -> caller.running.set(false));
        for (Caller caller : stopping) {
            caller.thread.join();
        }
        if (senders != null) {
            senders.shutdown();
            if (!senders.awaitTermination(TIMEOUT_MILLIS + 10_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("open-loop requests still in flight after their timeout");
            }
        }
        return List.copyOf(calls);
    }

    /** The calls so far. */
    Collection<Call> calls() {
        return Collections.unmodifiableCollection(calls);
    }

    /** One GET with {@code Connection: close}, classified. */
    static Call call(int port, String host, String path) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            } catch (ConnectException e) {
                return new Call(start, System.nanoTime() - start, Fate.REFUSED, 0, e.getMessage());
            }
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer(start, response);
        } catch (SocketTimeoutException e) {
            return new Call(start, System.nanoTime() - start, Fate.LOST, 0, e.toString());
        } catch (IOException e) {
            return new Call(start, System.nanoTime() - start, Fate.BROKEN, 0, e.toString());
        }
    }

    /** Classifies what came back on a connection: a whole answer, or a broken one. */
    static Call answer(long start, String response) {
        int end = response.indexOf("\r\n\r\n");
        if (!response.startsWith("HTTP/1.1 ") || end < 0) {
            return new Call(start, System.nanoTime() - start, Fate.BROKEN, 0, response);
        }
        return new Call(start, System.nanoTime() - start, Fate.ANSWERED, Integer.parseInt(response.substring(9, 12)),
                response.substring(end + 4));
    }

    /** The calls that match, counted. */
    static long count(Collection<Call> calls, Predicate<Call> which) {
        return calls.stream().filter(which).count();
    }

    /** The p-th percentile (nearest rank) of the calls' durations, in milliseconds. */
    static double percentileMillis(Collection<Call> calls, double p) {
        List<Long> sorted = calls.stream().map(Call::nanos).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }

    private final class Caller {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "load-caller");

        private void run() {
            if (intervalNanos > 0) {
                runPaced();
                return;
            }
            while (running.get()) {
                Call call = call(port, host, path);
                calls.add(call);
                if (!call.ok()) {
                    // A client's back-off: after a refusal or an error, trying again at once only burns CPU (an instant 503
                    // in a closed loop is millions of requests a minute).
                    LockSupport.parkNanos(FAILURE_BACKOFF_NANOS);
                }
            }
        }

        /** Hands each request to a sender when it is due, without waiting for any answer. */
        private void runPaced() {
            long due = System.nanoTime();
            while (running.get()) {
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                long when = due;
                senders.execute(() -> {
                    Call call = call(port, host, path);
                    // Timed from when it was due: a request that went out late (every sender busy, or this thread starved
                    // of CPU) waited as its client would have.
                    calls.add(new Call(when, call.startNanos() + call.nanos() - when, call.fate(), call.status(), call.body()));
                });
                due += intervalNanos;
            }
        }
    }
}
