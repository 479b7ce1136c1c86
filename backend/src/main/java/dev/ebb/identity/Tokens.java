package dev.ebb.identity;

import dev.ebb.access.Caller;
import dev.ebb.access.Grant;
import dev.ebb.access.Role;
import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens for automation and gateway tokens: issued once, stored as SHA-256, checked on every request, so a
 * revocation or an expiry takes effect on the very next one.
 */
@Component
public class Tokens {

    static final int DEFAULT_EXPIRY_DAYS = 90;
    static final int MAX_EXPIRY_DAYS = 3650;
    /** Recording every use would write on every request; once a minute is enough to see a token is alive. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final ApiTokenRepository tokens;
    private final Subjects subjects;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Tokens(ApiTokenRepository tokens, Subjects subjects, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.subjects = subjects;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public CreatedToken create(TokenSpec spec, Actor actor) {
        List<FieldViolation> violations = new ArrayList<>();
        IdentityRules.tokenName(spec.name(), violations);
        TokenKind kind = spec.kind() == null ? TokenKind.API : TokenKind.parse(spec.kind()).orElse(null);
        if (kind == null) {
            violations.add(new FieldViolation("kind", "'" + spec.kind() + "' is not a token kind; one of api, gateway"));
        }
        List<Grant> grants = IdentityRules.grants(spec.grants(), violations);
        if (kind == TokenKind.GATEWAY && !grants.isEmpty()) {
            violations.add(new FieldViolation("grants", "a gateway token holds no roles; leave grants out, or use kind 'api'"));
        }
        if (kind == TokenKind.API && grants.isEmpty() && violations.isEmpty()) {
            violations.add(new FieldViolation("grants", "an API token needs at least one role, such as "
                    + "[{\"namespace\": \"ml\", \"role\": \"deployer\"}]"));
        }
        boolean never = Boolean.TRUE.equals(spec.neverExpires());
        if (never && spec.expiresInDays() != null) {
            violations.add(new FieldViolation("neverExpires", "conflicts with expiresInDays; give one of them"));
        }
        if (spec.expiresInDays() != null && (spec.expiresInDays() < 1 || spec.expiresInDays() > MAX_EXPIRY_DAYS)) {
            violations.add(new FieldViolation("expiresInDays", "must be between 1 and " + MAX_EXPIRY_DAYS));
        }
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        if (tokens.findByName(spec.name()).isPresent()) {
            throw new ConflictException("A token named '" + spec.name() + "' exists (revoked tokens keep their name for the "
                    + "audit trail); choose another name");
        }
        Instant now = clock.instant();
        Instant expires = never ? null : now.plus(Duration.ofDays(spec.expiresInDays() == null ? DEFAULT_EXPIRY_DAYS : spec.expiresInDays()));
        String value = newValue();
        ApiTokenEntity token = tokens.save(new ApiTokenEntity(spec.name(), hash(value), kind, now, actor.name(), expires));
        subjects.replace(Subjects.TOKEN + token.name(), grants);
        TokenView view = view(token, grants, now);
        audit.record(now, actor, "token.create", null, null, "token/" + token.name(), null, view);
        return new CreatedToken(view, value);
    }

    @Transactional(readOnly = true)
    public List<TokenView> list() {
        Instant now = clock.instant();
        List<ApiTokenEntity> all = tokens.findAllByOrderByName();
        Map<String, List<Grant>> grants = subjects.grantsOf(all.stream().map(token -> Subjects.TOKEN + token.name()).toList());
        return all.stream().map(token -> view(token, grants.get(Subjects.TOKEN + token.name()), now)).toList();
    }

    @Transactional(readOnly = true)
    public TokenView get(String name) {
        ApiTokenEntity token = find(name);
        return view(token, subjects.grantsOf(Subjects.TOKEN + name), clock.instant());
    }

    /** Revokes the token: the next request that presents it is refused. Revoking twice changes nothing. */
    @Transactional
    public TokenView revoke(String name, Actor actor) {
        ApiTokenEntity token = find(name);
        Instant now = clock.instant();
        List<Grant> grants = subjects.grantsOf(Subjects.TOKEN + name);
        if (token.revokedAt() != null) {
            return view(token, grants, now);
        }
        TokenView before = view(token, grants, now);
        token.revoke(now, actor.name());
        TokenView after = view(token, grants, now);
        audit.record(now, actor, "token.revoke", null, null, "token/" + name, before, after);
        return after;
    }

    /** Who a presented token belongs to, if it is known, unrevoked and unexpired. */
    @Transactional
    public Optional<Caller> authenticate(String presented) {
        Instant now = clock.instant();
        return tokens.findByTokenHash(hash(presented))
                .filter(token -> token.usableAt(now))
                .map(token -> {
                    if (token.lastUsedAt() == null || token.lastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
                        token.usedAt(now);
                    }
                    return token.kind() == TokenKind.GATEWAY
                            ? new Caller(Subjects.GATEWAY + token.name(), Caller.Kind.GATEWAY, List.of())
                            : new Caller(Subjects.TOKEN + token.name(), Caller.Kind.TOKEN, subjects.grantsOf(Subjects.TOKEN + token.name()));
                });
    }

    /**
     * Makes sure a never-expiring admin token of every namespace named {@code name} accepts exactly this value: the
     * bootstrap token from configuration, and the one generated on a first start.
     */
    @Transactional
    public void ensureAdmin(String name, String value) {
        String hash = hash(value);
        ApiTokenEntity token = tokens.findByName(name)
                .orElseGet(() -> new ApiTokenEntity(name, hash, TokenKind.API, clock.instant(), "system", null));
        token.reset(hash);
        tokens.save(token);
        subjects.replace(Subjects.TOKEN + name, List.of(new Grant(Grant.EVERY_NAMESPACE, Role.ADMIN, true)));
    }

    @Transactional(readOnly = true)
    public boolean anyUsable() {
        return tokens.anyUsable(clock.instant());
    }

    /** A new random token value: 32 bytes, URL-safe, prefixed so a leaked one is recognisable. */
    public String newValue() {
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

    private ApiTokenEntity find(String name) {
        return tokens.findByName(name)
                .orElseThrow(() -> new NotFoundException("No token named '" + name + "'; GET /api/v1/tokens lists them"));
    }

    private static TokenView view(ApiTokenEntity token, List<Grant> grants, Instant now) {
        String status = token.revokedAt() != null ? "revoked" : token.usableAt(now) ? "active" : "expired";
        return new TokenView(token.name(), token.kind().wireName(), Subjects.specs(grants), status, token.createdAt(),
                token.createdBy(), token.expiresAt(), token.lastUsedAt(), token.revokedAt(), token.revokedBy());
    }
}
