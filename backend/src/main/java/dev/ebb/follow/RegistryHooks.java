package dev.ebb.follow;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.NotFoundException;
import dev.ebb.secrets.SecretBox;
import dev.ebb.spec.Names;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists and deletes registry hooks, and checks that a delivery to one carries its secret. The secret is made
 * here, shown once, and stored encrypted and bound to its hook's row; every change writes its audit event in the same
 * transaction.
 */
@Transactional
public class RegistryHooks {

    static final String PATH = "/api/v1/hooks/registry/";
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?");
    private static final int SECRET_BYTES = 32;

    private final RegistryHookRepository hooks;
    private final SecretBox box;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RegistryHooks(RegistryHookRepository hooks, SecretBox box, AuditLog audit, Clock clock) {
        this.hooks = hooks;
        this.box = box;
        this.audit = audit;
        this.clock = clock;
    }

    /** A hook a delivery proved it may post to. */
    record Hook(String name, String registry) {
    }

    public CreatedRegistryHook create(RegistryHookSpec spec, Actor actor) {
        if (spec == null) {
            throw InvalidInputException.unreadable("", "the body must be a JSON object such as {\"name\": \"harbor\", "
                    + "\"registry\": \"harbor.example.com\"}");
        }
        List<FieldViolation> violations = new ArrayList<>();
        if (spec.name() == null) {
            violations.add(new FieldViolation("name", "is required: name the hook, e.g. \"name\": \"harbor\"; the registry "
                    + "posts to " + PATH + "<name>"));
        } else {
            String problem = Names.dns1123Problem(spec.name(), Names.MAX_LABEL);
            if (problem != null) {
                violations.add(new FieldViolation("name", problem));
            }
        }
        if (spec.registry() != null && !REGISTRY.matcher(spec.registry()).matches()) {
            violations.add(new FieldViolation("registry", "'" + spec.registry() + "' is not a registry host: write it as "
                    + "images name it, host or host:port, e.g. \"harbor.example.com\" or \"localhost:32000\"; leave it out to "
                    + "take the host each event names"));
        }
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        if (hooks.existsByName(spec.name())) {
            throw new ConflictException("Registry hook '" + spec.name() + "' already exists; delete it first to make a new "
                    + "secret, or pick another name");
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        RegistryHookEntity entity = new RegistryHookEntity(spec.name(), spec.registry(), box.seal(secret, row(spec.name())),
                now, actor.name());
        hooks.saveAndFlush(entity);
        RegistryHookView view = view(entity);
        audit.record(now, actor, "registry-hook.create", null, null, target(spec.name()), null, view);
        return new CreatedRegistryHook(view, secret);
    }

    @Transactional(readOnly = true)
    public List<RegistryHookView> list() {
        return hooks.findAllByOrderByNameAsc().stream().map(RegistryHooks::view).toList();
    }

    public void delete(String name, Actor actor) {
        RegistryHookEntity entity = hooks.findByName(name).orElseThrow(() -> notFound(name));
        hooks.delete(entity);
        hooks.flush();
        audit.record(clock.instant(), actor, "registry-hook.delete", null, null, target(name), view(entity), null);
    }

    /**
     * The hook, when the delivery carries its secret as a bearer token or signs its body with it. A delivery with
     * neither is refused before the hook is looked up, so that nobody learns which hooks exist without a secret.
     */
    @Transactional(readOnly = true)
    Hook authenticate(String name, String authorization, String signature, byte[] body) {
        if (authorization == null && signature == null) {
            throw new HookUnauthorizedException("A delivery to a registry hook carries its secret: send 'Authorization: "
                    + "Bearer <secret>' (Distribution's endpoint 'headers'), or sign the body with it in '"
                    + HookSignature.HEADER + ": sha256=<hex of the HMAC-SHA256>'");
        }
        RegistryHookEntity entity = hooks.findByName(name).orElseThrow(() -> notFound(name));
        String secret = box.open(entity.secret().ciphertext(), row(name));
        boolean proven = signature != null ? HookSignature.signatureMatches(signature, body, secret)
                : HookSignature.bearerMatches(authorization, secret);
        if (!proven) {
            throw new HookUnauthorizedException(signature != null ? "The " + HookSignature.HEADER + " header is not the "
                    + "HMAC-SHA256 of the body keyed with the secret of registry hook '" + name + "'"
                    : "The bearer token is not the secret of registry hook '" + name + "'");
        }
        return new Hook(entity.name(), entity.registry());
    }

    /** What a hook's secret ciphertext is bound to. */
    static String row(String name) {
        return "registry-hook/" + name;
    }

    private static RegistryHookView view(RegistryHookEntity entity) {
        return new RegistryHookView(entity.name(), entity.registry(), PATH + entity.name(), entity.createdAt(),
                entity.createdBy());
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("Registry hook '" + name + "' does not exist; list them at GET /api/v1/hooks/registry");
    }

    private static String target(String name) {
        return "hooks/registry/" + name;
    }
}
