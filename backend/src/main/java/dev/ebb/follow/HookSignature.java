package dev.ebb.follow;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whether a delivery proves it knows the hook's secret: as a bearer token ({@code Authorization: Bearer <secret>},
 * what Distribution's endpoint {@code headers} can send), or as the key of an HMAC-SHA256 of the body
 * ({@code X-Ebb-Signature: sha256=<hex>}). Both compare in constant time.
 */
final class HookSignature {

    static final String HEADER = "X-Ebb-Signature";
    private static final String BEARER = "bearer ";
    private static final String SHA256 = "sha256=";

    private HookSignature() {
    }

    /** Whether {@code authorization} is {@code Bearer <secret>}. */
    static boolean bearerMatches(String authorization, String secret) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        // Digests of both have the same length whatever was sent, so the comparison says nothing of the secret's.
        return MessageDigest.isEqual(sha256(authorization.substring(BEARER.length()).strip()), sha256(secret));
    }

    /** Whether {@code signature} is {@code sha256=} and the hex HMAC-SHA256 of {@code body} keyed with the secret. */
    static boolean signatureMatches(String signature, byte[] body, String secret) {
        if (signature == null) {
            return false;
        }
        String given = signature.strip().toLowerCase(Locale.ROOT);
        if (given.startsWith(SHA256)) {
            given = given.substring(SHA256.length());
        }
        byte[] expected = HexFormat.of().formatHex(hmac(body, secret)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII), expected);
    }

    /** The header value a sender puts in {@value #HEADER}. */
    static String sign(byte[] body, String secret) {
        return SHA256 + HexFormat.of().formatHex(hmac(body, secret));
    }

    private static byte[] hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body == null ? new byte[0] : body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
