package dev.ebb.registry;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.NotFoundException;
import dev.ebb.secrets.SecretBox;
import dev.ebb.secrets.SecretStatus;
import dev.ebb.secrets.SecretUnreadableException;
import dev.ebb.secrets.Sealed;
import dev.ebb.web.ContinueToken;
import dev.ebb.web.ListPage;
import dev.ebb.web.Preconditions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, changes and reads the registry credentials of a namespace. Passwords are stored encrypted and
 * bound to their credential's row; every change writes its audit event in the same transaction.
 */
@Transactional
public class RegistryCredentials {

    private final RegistryCredentialRepository credentials;
    private final SecretBox box;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    RegistryCredentials(RegistryCredentialRepository credentials, SecretBox box, AuditLog audit, Clock clock,
            ApplicationEventPublisher events) {
        this.credentials = credentials;
        this.box = box;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    /** A credential together with the version its ETag names. */
    public record Stored(RegistryCredentialView view, String resourceVersion) {
    }

    public Stored create(String namespace, RegistryCredentialSpec spec, Actor actor) {
        RegistryCredentialSpec body = requireBody(spec);
        List<FieldViolation> violations = RegistryCredentialRules.validate(namespace, body.name(), body.server(),
                body.username(), body.password(), body.caBundle(), true);
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        String name = body.name();
        if (credentials.existsByNamespaceAndName(namespace, name)) {
            throw new ConflictException("Registry credential '" + name + "' already exists in namespace '" + namespace
                    + "'; change it with PUT .../registry-credentials/" + name);
        }
        Instant now = clock.instant();
        credentials.ensureNamespace(namespace, now);
        RegistryCredentialEntity entity = new RegistryCredentialEntity(namespace, name, now, actor.name());
        entity.apply(body.server(), body.username(), Boolean.TRUE.equals(body.plainHttp()), body.caBundle(),
                box.seal(body.password(), row(namespace, name)), now, actor.name());
        credentials.saveAndFlush(entity);
        RegistryCredentialView after = view(entity);
        audit.record(now, actor, "registry-credential.create", namespace, null, target(namespace, name), null,
                audited(after, true));
        events.publishEvent(new RegistryCredentialsChanged(namespace));
        return stored(entity, after);
    }

    @Transactional(readOnly = true)
    public Stored get(String namespace, String name) {
        RegistryCredentialEntity entity = find(namespace, name);
        return stored(entity, view(entity));
    }

    @Transactional(readOnly = true)
    public ListPage<RegistryCredentialView> list(String namespace, String continueToken, Integer limit) {
        int size = ContinueToken.limit(limit);
        String after = ContinueToken.decode(continueToken, "");
        List<RegistryCredentialEntity> fetched = credentials.findByNamespaceAndNameGreaterThanOrderByNameAsc(namespace, after,
                Limit.of(size + 1));
        return ListPage.ofOverfetched(fetched, size, RegistryCredentialEntity::name)
                .map(shown -> shown.stream().map(RegistryCredentials::view).toList());
    }

    /** Replaces server and username and, when the body has one, the password; without one the stored password stays. */
    public Stored replace(String namespace, String name, RegistryCredentialSpec spec, String ifMatch, Actor actor) {
        RegistryCredentialEntity entity = lockMatching(namespace, name, ifMatch);
        RegistryCredentialSpec body = requireBody(spec);
        List<FieldViolation> violations = new ArrayList<>(RegistryCredentialRules.validate(namespace, name, body.server(),
                body.username(), body.password(), body.caBundle(), false));
        if (body.name() != null && !body.name().equals(name)) {
            violations.add(new FieldViolation("name", "is '" + body.name() + "' but the URL names registry credential '" + name
                    + "'; a credential cannot be renamed, create a new one instead"));
        }
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        boolean passwordChanged = body.password() != null && !storedPasswordIs(entity, body.password());
        boolean plainHttp = Boolean.TRUE.equals(body.plainHttp());
        if (!passwordChanged && body.server().equals(entity.server()) && body.username().equals(entity.username())
                && plainHttp == entity.plainHttp() && java.util.Objects.equals(body.caBundle(), entity.caBundle())) {
            return stored(entity, view(entity));
        }
        Instant now = clock.instant();
        RegistryCredentialView before = view(entity);
        Sealed sealed = passwordChanged ? box.seal(body.password(), row(namespace, name)) : null;
        entity.apply(body.server(), body.username(), plainHttp, body.caBundle(), sealed, now, actor.name());
        credentials.saveAndFlush(entity);
        RegistryCredentialView after = view(entity);
        audit.record(now, actor, "registry-credential.update", namespace, null, target(namespace, name), before,
                audited(after, passwordChanged));
        events.publishEvent(new RegistryCredentialsChanged(namespace));
        return stored(entity, after);
    }

    public void delete(String namespace, String name, String ifMatch, Actor actor) {
        RegistryCredentialEntity entity = lockMatching(namespace, name, ifMatch);
        RegistryCredentialView before = view(entity);
        credentials.delete(entity);
        credentials.flush();
        audit.record(clock.instant(), actor, "registry-credential.delete", namespace, null, target(namespace, name), before,
                null);
        events.publishEvent(new RegistryCredentialsChanged(namespace));
    }

    /** A credential with its password decrypted, for the code that pulls or resolves images with it. */
    @Transactional(readOnly = true)
    public RegistryLogin login(String namespace, String name) {
        return login(find(namespace, name));
    }

    /**
     * The namespace's credential for a registry server (host and port as an image names it), decrypted; when several
     * name the same server, the first by name.
     */
    @Transactional(readOnly = true)
    public java.util.Optional<RegistryLogin> loginFor(String namespace, String server) {
        return credentials.findByNamespaceAndServerOrderByNameAsc(namespace, server).stream().findFirst().map(this::login);
    }

    private RegistryLogin login(RegistryCredentialEntity entity) {
        return login(entity, box);
    }

    /** The credential with its password decrypted by {@code box}. */
    static RegistryLogin login(RegistryCredentialEntity entity, SecretBox box) {
        return new RegistryLogin(entity.name(), entity.server(), entity.username(),
                box.open(entity.password().ciphertext(), row(entity.namespace(), entity.name())), entity.plainHttp(),
                entity.caBundle());
    }

    /** What a credential's password ciphertext is bound to. */
    static String row(String namespace, String name) {
        return "registry-credential/" + namespace + "/" + name;
    }

    /** Whether the stored password is this one; one that cannot be decrypted any more is replaced, as its error advises. */
    private boolean storedPasswordIs(RegistryCredentialEntity entity, String password) {
        try {
            return password.equals(box.open(entity.password().ciphertext(), row(entity.namespace(), entity.name())));
        } catch (SecretUnreadableException e) {
            return false;
        }
    }

    private static RegistryCredentialView view(RegistryCredentialEntity entity) {
        return new RegistryCredentialView(entity.name(), entity.namespace(), entity.server(), entity.username(),
                SecretStatus.of(entity.password()), entity.plainHttp(), entity.caBundle(),
                new RegistryCredentialView.Metadata(Long.toString(entity.resourceVersion()), entity.createdAt(),
                        entity.createdBy(), entity.updatedAt(), entity.updatedBy()));
    }

    /** The state an audit event records: the view, and whether the password changed, never the password. */
    private static RegistryCredentialView audited(RegistryCredentialView view, boolean passwordChanged) {
        return new RegistryCredentialView(view.name(), view.namespace(), view.server(), view.username(),
                view.password().changed(passwordChanged), view.plainHttp(), view.caBundle(), view.metadata());
    }

    private static Stored stored(RegistryCredentialEntity entity, RegistryCredentialView view) {
        return new Stored(view, Long.toString(entity.resourceVersion()));
    }

    private static RegistryCredentialSpec requireBody(RegistryCredentialSpec spec) {
        if (spec == null) {
            throw InvalidInputException.unreadable("", "the body must be a JSON object such as "
                    + "{\"name\": \"ghcr\", \"server\": \"ghcr.io\", \"username\": \"ci\", \"password\": \"...\"}");
        }
        return spec;
    }

    private RegistryCredentialEntity find(String namespace, String name) {
        return credentials.findByNamespaceAndName(namespace, name).orElseThrow(() -> notFound(namespace, name));
    }

    private RegistryCredentialEntity lockMatching(String namespace, String name, String ifMatch) {
        RegistryCredentialEntity entity = credentials.lockByNamespaceAndName(namespace, name)
                .orElseThrow(() -> notFound(namespace, name));
        Preconditions.checkIfMatch(ifMatch, Long.toString(entity.resourceVersion()), "Registry credential '" + name + "'");
        return entity;
    }

    private static NotFoundException notFound(String namespace, String name) {
        return new NotFoundException("Registry credential '" + name + "' does not exist in namespace '" + namespace
                + "'; list them at GET /api/v1/namespaces/" + namespace + "/registry-credentials");
    }

    private static String target(String namespace, String name) {
        return "namespaces/" + namespace + "/registry-credentials/" + name;
    }
}
