package dev.ebb.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry token server of the tests' own (the Distribution token spec): it answers {@code GET /token?service=...&scope=...}
 * for the users it knows, checked with Basic auth, with a JWT signed by a key whose certificate the registry trusts.
 * Users in {@code pullers} get pull access to the scope's repository; other known users get a token with no access.
 */
public final class TokenIssuer implements AutoCloseable {

    private final HttpServer server;
    private final TestCertificates.Issued signer = TestCertificates.authority("ebb-test-token-signer");
    private final Path signerCertificate;
    private final Map<String, String> users;
    private final java.util.Set<String> pullers;
    private final AtomicInteger issued = new AtomicInteger();
    private final int lifetimeSeconds;

    public TokenIssuer(Map<String, String> users, java.util.Set<String> pullers, int lifetimeSeconds) {
        this.users = Map.copyOf(users);
        this.pullers = java.util.Set.copyOf(pullers);
        this.lifetimeSeconds = lifetimeSeconds;
        try {
            this.signerCertificate = Files.writeString(Files.createTempFile("ebb-token-signer", ".pem"), signer.certificatePem());
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", this::token);
        server.start();
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public Path signerCertificate() {
        return signerCertificate;
    }

    /** How many tokens it has handed out. */
    public int issued() {
        return issued.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String user = authenticated(exchange.getRequestHeaders().getFirst("Authorization"));
            if (user == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"ebb-test-tokens\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String scope = query.getOrDefault("scope", "");
            String[] parts = scope.split(":");
            String access = parts.length == 3 && pullers.contains(user)
                    ? "[{\"type\": \"repository\", \"name\": \"" + parts[1] + "\", \"actions\": [\"pull\"]}]" : "[]";
            long now = Instant.now().getEpochSecond();
            String claims = """
                    {"iss": "%s", "sub": "%s", "aud": "%s", "exp": %d, "nbf": %d, "iat": %d, "jti": "%s", "access": %s}"""
                    .formatted(RealRegistry.TOKEN_ISSUER, user, query.get("service"), now + lifetimeSeconds, now - 10, now,
                            UUID.randomUUID(), access);
            byte[] body = ("{\"token\": \"" + jwt(claims) + "\", \"expires_in\": " + lifetimeSeconds + ", \"issued_at\": \""
                    + Instant.ofEpochSecond(now) + "\"}").getBytes(StandardCharsets.UTF_8);
            issued.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private String authenticated(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":", 2);
        return pair.length == 2 && pair[1].equals(users.get(pair[0])) ? pair[0] : null;
    }

    private String jwt(String claims) {
        try {
            String header = "{\"typ\": \"JWT\", \"alg\": \"RS256\", \"x5c\": [\""
                    + Base64.getEncoder().encodeToString(signer.certificate().getEncoded()) + "\"]}";
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signed = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signer.privateKey());
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + url.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
