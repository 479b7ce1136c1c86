import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop, fixed-rate HTTP/1.1 load for bench/gateway/run.py (JDK 17 source launcher, no dependencies).
 *
 * <p>Request i is scheduled at start + i / rate on a clock, whether or not earlier replies have arrived, and sent by
 * worker thread i % WORKERS on its own keep-alive connection (as wrk2 does): each worker parks until its request is due.
 * Its latency counts from the scheduled instant (not from when it was actually sent) to the last byte of the response,
 * so a stall anywhere (client, proxy, backend) shows up in the tail instead of silently lowering the rate (no
 * coordinated omission); a worker whose previous reply is still out sends late, and that wait counts too.
 *
 * <p>Usage: {@code java FixedRate.java HOST PORT METHOD PATH HOST_HEADER BODY RATE WARMUP_S MEASURE_S WORKERS OUT_FILE}.
 * WORKERS bounds the connections; keep it at or below 200 for the JDK's built-in HTTP server, which closes idle
 * keep-alive connections beyond 200 ({@code sun.net.httpserver.maxIdleConnections}), and well above RATE times the
 * backend's usual latency in seconds: each worker's requests are WORKERS / RATE seconds apart.
 * Writes one line per measured request to OUT_FILE: {@code scheduled_to_end_us send_to_end_us status}, and a summary
 * line to stdout: {@code sent=... errors=... send_rate=... late_mean_us=... late_max_us=...} (the rate the measured
 * requests went out at, how late they went out).
 */
public final class FixedRate {

    public static void main(String[] args) throws Exception {
        if (args.length != 11) {
            System.err.println("usage: FixedRate HOST PORT METHOD PATH HOST_HEADER BODY RATE WARMUP_S MEASURE_S WORKERS OUT_FILE");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String method = args[2];
        String path = args[3];
        String hostHeader = args[4];
        byte[] body = args[5].getBytes(StandardCharsets.UTF_8);
        double rate = Double.parseDouble(args[6]);
        double warmupSeconds = Double.parseDouble(args[7]);
        double measureSeconds = Double.parseDouble(args[8]);
        int workers = Integer.parseInt(args[9]);
        Path out = Path.of(args[10]);

        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader).append("\r\n");
        head.append("User-Agent: ebb-bench-fixed-rate\r\n");
        if (body.length > 0 || method.equals("POST")) {
            head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);

        long periodNanos = Math.round(1e9 / rate);
        int warmupCount = (int) Math.round(warmupSeconds * rate);
        int measureCount = (int) Math.round(measureSeconds * rate);
        int total = warmupCount + measureCount;
        // Per measured request: latency from the scheduled instant, from the actual send, and the status (0 = I/O error).
        AtomicLongArray fromSchedule = new AtomicLongArray(measureCount);
        AtomicLongArray fromSend = new AtomicLongArray(measureCount);
        AtomicLongArray statuses = new AtomicLongArray(measureCount);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger reconnects = new AtomicInteger();
        AtomicInteger staleRetries = new AtomicInteger();
        // The clock: request i is due at start + i * period and is sent by worker i % WORKERS, which parks until then
        // (never spins: the machine has few cores) and then sends it on its own connection. No hand-off between threads
        // on the way out: a dispatcher thread waking a worker added a second wake-up to every request, and on a 2-core
        // machine those wake-ups made most of the client's own tail. A late send is measured, not hidden.
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        AtomicLong lateMax = new AtomicLong();
        AtomicLong lateSum = new AtomicLong();
        AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastSend = new AtomicLong(Long.MIN_VALUE);
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int first = w;
            threads[w] = new Thread(() -> {
                Connection connection = null;
                for (int index = first; index < total; index += workers) {
                    long scheduled = start + index * periodNanos;
                    long sent;
                    while ((sent = System.nanoTime()) < scheduled) {
                        LockSupport.parkNanos(scheduled - sent);
                    }
                    int status;
                    try {
                        if (connection == null) {
                            connection = new Connection(host, port);
                            reconnects.incrementAndGet();
                        }
                        try {
                            status = connection.exchange(request);
                        } catch (IOException e) {
                            // A keep-alive connection the server closed while it was idle: like any HTTP client,
                            // retry once on a new connection, and count it. Any other failure is an error.
                            if (!connection.reused || connection.received) {
                                throw e;
                            }
                            connection.close();
                            connection = new Connection(host, port);
                            reconnects.incrementAndGet();
                            staleRetries.incrementAndGet();
                            status = connection.exchange(request);
                        }
                        if (connection.mustClose) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException e) {
                        status = 0;
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                    }
                    long end = System.nanoTime();
                    if (status != 200) {
                        errors.incrementAndGet();
                    }
                    if (index >= warmupCount) {
                        int m = index - warmupCount;
                        fromSchedule.set(m, (end - scheduled) / 1000);
                        fromSend.set(m, (end - sent) / 1000);
                        statuses.set(m, status);
                        long late = sent - scheduled;
                        lateMax.accumulateAndGet(late, Math::max);
                        lateSum.addAndGet(late);
                        firstSend.accumulateAndGet(sent, Math::min);
                        lastSend.accumulateAndGet(sent, Math::max);
                    }
                    done.incrementAndGet();
                }
                if (connection != null) {
                    connection.close();
                }
            }, "worker-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }

        long deadline = start + total * periodNanos + TimeUnit.SECONDS.toNanos(60);
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, left / 1_000_000));
            }
        }
        int unfinished = total - done.get();
        long sendSpan = lastSend.get() - firstSend.get();
        double achievedRate = measureCount > 1 && sendSpan > 0 ? (measureCount - 1) * 1e9 / sendSpan : 0;

        try (PrintWriter writer = new PrintWriter(new BufferedOutputStream(Files.newOutputStream(out)), false, StandardCharsets.US_ASCII)) {
            for (int m = 0; m < measureCount; m++) {
                writer.print(fromSchedule.get(m));
                writer.print(' ');
                writer.print(fromSend.get(m));
                writer.print(' ');
                writer.println(statuses.get(m));
            }
        }
        System.out.printf("sent=%d measured=%d errors=%d unfinished=%d connections=%d stale_retries=%d send_rate=%.1f late_mean_us=%d late_max_us=%d%n",
                total, measureCount, errors.get(), unfinished, reconnects.get(), staleRetries.get(), achievedRate,
                measureCount == 0 ? 0 : lateSum.get() / measureCount / 1000, lateMax.get() / 1000);
        System.exit(unfinished == 0 ? 0 : 3);
    }

    /** One keep-alive HTTP/1.1 connection; reads responses with Content-Length or chunked bodies. */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[16384];
        private int start;
        private int end;
        boolean mustClose;
        /** Whether an exchange happened on this connection before the current one. */
        boolean reused;
        /** Whether any byte of the current response has arrived. */
        boolean received;
        private int exchanges;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        int exchange(byte[] request) throws IOException {
            reused = exchanges++ > 0;
            received = false;
            out.write(request);
            out.flush();
            String statusLine = readLine();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            mustClose = parts[0].equals("HTTP/1.0");
            String line;
            while (!(line = readLine()).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase().contains("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("connection")) {
                    mustClose = value.equalsIgnoreCase("close");
                }
            }
            if (chunked) {
                while (true) {
                    String size = readLine();
                    int semicolon = size.indexOf(';');
                    long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (n == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(n);
                    readLine();
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("response without a length");
            }
            return status;
        }

        private boolean fill() throws IOException {
            if (start == end) {
                start = 0;
                end = 0;
            } else if (end == buffer.length) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                return false;
            }
            received = true;
            end += n;
            return true;
        }

        private String readLine() throws IOException {
            while (true) {
                for (int i = start; i < end - 1; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                        String line = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                        start = i + 2;
                        return line;
                    }
                }
                if (end - start >= buffer.length) {
                    throw new IOException("header line too long");
                }
                if (!fill()) {
                    throw new IOException("connection closed by the server");
                }
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                if (start == end && !fill()) {
                    throw new IOException("connection closed in a body");
                }
                int take = (int) Math.min(n, end - start);
                start += take;
                n -= take;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
