package dev.ebb.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Checks presented tokens against their stored hashes and issues new ones. */
@Component
class ApiTokens {

    /** Recording every use would write on every request; once a minute is enough to see a token is alive. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final ApiTokenRepository tokens;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(ApiTokenRepository tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Who a presented token belongs to, if it is known, unrevoked and unexpired. */
    @Transactional
    Optional<Identity> authenticate(String presented) {
        Instant now = clock.instant();
        return tokens.findByTokenHash(hash(presented))
                .filter(token -> token.usableAt(now))
                .map(token -> {
                    if (token.lastUsedAt() == null || token.lastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
                        token.usedAt(now);
                    }
                    return new Identity("token:" + token.name(), token.role());
                });
    }

    /** Makes sure a token named {@code name} with exactly this value exists and is usable. */
    @Transactional
    void ensure(String name, String value, String role) {
        String hash = hash(value);
        ApiTokenEntity token = tokens.findByName(name).orElseGet(() -> new ApiTokenEntity(name, hash, role, clock.instant()));
        token.reset(hash);
        tokens.save(token);
    }

    @Transactional(readOnly = true)
    boolean anyUsable() {
        return tokens.anyUsable(clock.instant());
    }

    /** A new random token value: 32 bytes, URL-safe, prefixed so a leaked one is recognisable. */
    String newValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "ebb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** An authenticated caller. */
    record Identity(String name, String role) {
    }
}
