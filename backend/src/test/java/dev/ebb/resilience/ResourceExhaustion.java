package dev.ebb.resilience;

import dev.ebb.support.Http;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Issue 15's scenario 10: requests that try to exhaust the host (instance counts far past the limit, bodies and headers
 * far past theirs, JSON nested ten thousand deep, page sizes and log tails in the millions). Each must be refused with a
 * 4xx problem that says what is wrong, quickly, and the API must answer as before afterwards.
 */
final class ResourceExhaustion {

    /** One attempt: what was tried and how it was answered. */
    record Attempt(String what, int status, String contentType, String detail, double millis) {

        boolean refusedClearly() {
            return status >= 400 && status < 500 && contentType != null && contentType.startsWith("application/problem+json")
                    && detail != null && !detail.isBlank();
        }
    }

    private ResourceExhaustion() {
    }

    /** Runs every attempt against the API at {@code port} in {@code namespace}, where {@code service} exists. */
    static List<Attempt> run(Http http, int port, String token, String namespace, String service) {
        String services = "/api/v1/namespaces/" + namespace + "/services";
        String path = services + "/" + service;
        List<Attempt> attempts = new ArrayList<>();
        attempts.add(attempt("scale.min 1,000,000 on create", () -> http.post(services,
                "{\"name\": \"greedy\", \"template\": {\"image\": \"m:1\", \"scale\": {\"min\": 1000000}}}")));
        attempts.add(attempt("scale.max 2,147,483,647 on update", () -> http.put(path,
                "{\"template\": {\"image\": \"m:1\", \"scale\": {\"max\": 2147483647}}}")));
        attempts.add(attempt("scale.initial 10^12 (past int)", () -> http.put(path,
                "{\"template\": {\"image\": \"m:1\", \"scale\": {\"initial\": 1000000000000}}}")));
        attempts.add(attempt("min-scale annotation 5,000", () -> http.put(path,
                "{\"template\": {\"image\": \"m:1\", \"annotations\": {\"autoscaling.knative.dev/min-scale\": \"5000\"}}}")));
        attempts.add(attempt("concurrency.limit 10^6", () -> http.put(path,
                "{\"template\": {\"image\": \"m:1\", \"concurrency\": {\"limit\": 1000000}}}")));
        attempts.add(attempt("timeoutSeconds 10^9", () -> http.put(path,
                "{\"template\": {\"image\": \"m:1\", \"timeoutSeconds\": 1000000000}}")));
        attempts.add(attempt("list page of 10^6 services", () -> http.get(services + "?limit=1000000")));
        attempts.add(attempt("audit page of 10^6 events", () -> http.get("/api/v1/audit?limit=1000000")));
        attempts.add(attempt("cold-start probe of 10^6 runs", () -> http.post(path + "/coldstart-probe", "{\"runs\": 1000000}")));
        attempts.add(attempt("log tail of 10^9 lines", () -> http.get(path + "/revisions/" + service + "-00001/logs?tail=1000000000")));
        attempts.add(attempt("JSON nested 10,000 deep", () -> http.put(path, "{\"labels\": " + "[".repeat(10_000)
                + "]".repeat(10_000) + "}")));
        attempts.add(attempt("8 MiB body with Content-Length", () -> http.put(path, "{\"labels\": {\"a\": \""
                + "x".repeat(8 * 1024 * 1024) + "\"}}")));
        attempts.add(raw("8 MiB chunked body", port, () -> {
            StringBuilder request = new StringBuilder("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            String chunk = "x".repeat(64 * 1024);
            String open = "{\"labels\": {\"a\": \"";
            request.append(Integer.toHexString(open.length())).append("\r\n").append(open).append("\r\n");
            for (int i = 0; i < 128; i++) {
                request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            return request.append("0\r\n\r\n").toString();
        }));
        attempts.add(raw("256 KiB header", port, () -> "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + token + "\r\nX-Padding: " + "x".repeat(256 * 1024) + "\r\nConnection: close\r\n\r\n"));
        attempts.add(raw("10,000 query parameters", port, () -> {
            StringBuilder query = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                query.append(i == 0 ? "?" : "&").append("p").append(i).append("=1");
            }
            return "GET " + services + query + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n";
        }));
        return attempts;
    }

    private static Attempt attempt(String what, Callable<Http.Response> call) {
        long start = System.nanoTime();
        try {
            Http.Response response = call.call();
            double millis = (System.nanoTime() - start) / 1e6;
            String detail = response.contentType() != null && response.contentType().startsWith("application/problem+json")
                    ? response.json().path("detail").asString() : response.body();
            return new Attempt(what, response.status(), response.contentType(), detail, millis);
        } catch (Exception e) {
            return new Attempt(what, 0, null, e.toString(), (System.nanoTime() - start) / 1e6);
        }
    }

    /**
     * Sends the request over its own socket. A server may answer and close before the whole request is written (that is
     * the point of refusing a huge one early), so a failed write is followed by reading what it answered.
     */
    private static Attempt raw(String what, int port, Callable<String> request) {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            byte[] bytes = request.call().getBytes(StandardCharsets.US_ASCII);
            try {
                for (int offset = 0; offset < bytes.length; offset += 65_536) {
                    socket.getOutputStream().write(bytes, offset, Math.min(65_536, bytes.length - offset));
                }
            } catch (IOException refusedEarly) {
                // read the answer below
            }
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || end < 0) {
                return new Attempt(what, 0, null, "no answer: " + response, (System.nanoTime() - start) / 1e6);
            }
            String contentType = null;
            for (String line : response.substring(0, end).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).trim();
                }
            }
            String body = response.substring(end + 4);
            String detail = body.replaceAll("(?s).*\"detail\":\"([^\"]*)\".*", "$1");
            return new Attempt(what, Integer.parseInt(response.substring(9, 12)), contentType, detail,
                    (System.nanoTime() - start) / 1e6);
        } catch (Exception e) {
            return new Attempt(what, 0, null, e.toString(), (System.nanoTime() - start) / 1e6);
        }
    }
}
