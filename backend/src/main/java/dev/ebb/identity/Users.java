package dev.ebb.identity;

import dev.ebb.access.Caller;
import dev.ebb.access.Grant;
import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Creates, changes and removes users, and checks their passwords at sign-in. */
@Component
public class Users {

    private final UserRepository users;
    private final Subjects subjects;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    /** Compared against when the username is unknown, so that a wrong username takes as long as a wrong password. */
    private final String decoyHash;

    Users(UserRepository users, Subjects subjects, PasswordEncoder passwords, AuditLog audit, Clock clock) {
        this.users = users;
        this.subjects = subjects;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.decoyHash = passwords.encode("decoy password that nobody has");
    }

    @Transactional
    public UserView create(UserSpec spec, Actor actor) {
        List<FieldViolation> violations = new ArrayList<>();
        IdentityRules.username(spec.username(), violations);
        IdentityRules.displayName(spec.displayName(), violations);
        IdentityRules.password(spec.password(), spec.username(), violations);
        List<Grant> grants = IdentityRules.grants(spec.grants(), violations);
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        if (users.findByUsername(spec.username()).isPresent()) {
            throw new ConflictException("A user named '" + spec.username() + "' exists; change it with PATCH /api/v1/users/" + spec.username());
        }
        Instant now = clock.instant();
        UserEntity user = users.save(new UserEntity(spec.username(), spec.displayName(),
                spec.password() == null ? null : passwords.encode(spec.password()), now, actor.name()));
        subjects.replace(subject(user), grants);
        UserView view = view(user, grants);
        audit.record(now, actor, "user.create", null, null, "user/" + user.username(), null, view);
        return view;
    }

    @Transactional(readOnly = true)
    public List<UserView> list() {
        List<UserEntity> all = users.findAllByOrderByUsername();
        Map<String, List<Grant>> grants = subjects.grantsOf(all.stream().map(Users::subject).toList());
        return all.stream().map(user -> view(user, grants.get(subject(user)))).toList();
    }

    @Transactional(readOnly = true)
    public UserView get(String username) {
        UserEntity user = find(username);
        return view(user, subjects.grantsOf(subject(user)));
    }

    @Transactional
    public UserView update(String username, UserPatch patch, Actor actor) {
        UserEntity user = find(username);
        List<FieldViolation> violations = new ArrayList<>();
        IdentityRules.displayName(patch.displayName(), violations);
        IdentityRules.password(patch.password(), username, violations);
        List<Grant> grants = patch.grants() == null ? null : IdentityRules.grants(patch.grants(), violations);
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        UserView before = view(user, subjects.grantsOf(subject(user)));
        Instant now = clock.instant();
        if (patch.displayName() != null) {
            user.displayName(patch.displayName());
        }
        if (patch.password() != null) {
            user.passwordHash(passwords.encode(patch.password()));
        }
        if (patch.disabled() != null) {
            user.disabled(patch.disabled(), now);
        }
        if (grants != null) {
            subjects.replace(subject(user), grants);
        }
        user.updated(now, actor.name());
        UserView after = view(user, grants == null ? subjects.grantsOf(subject(user)) : grants);
        // The password's hash is not in the view; say that it changed without saying anything about it.
        audit.record(now, actor, patch.password() != null ? "user.update.password" : "user.update", null, null,
                "user/" + username, before, after);
        return after;
    }

    @Transactional
    public void delete(String username, Actor actor) {
        UserEntity user = find(username);
        UserView before = view(user, subjects.grantsOf(subject(user)));
        subjects.remove(subject(user));
        users.delete(user);
        audit.record(clock.instant(), actor, "user.delete", null, null, "user/" + username, before, null);
    }

    /** The caller a correct username and password stand for; empty for a wrong pair, a disabled user or no password. */
    @Transactional
    public Optional<Caller> signIn(String username, String password) {
        Optional<UserEntity> found = username == null ? Optional.empty() : users.findByUsername(username);
        String hash = found.map(UserEntity::passwordHash).orElse(null);
        boolean matches = passwords.matches(password == null ? "" : password, hash == null ? decoyHash : hash) && hash != null;
        if (!matches || found.get().disabledAt() != null) {
            return Optional.empty();
        }
        UserEntity user = found.get();
        user.signedIn(clock.instant());
        return Optional.of(caller(user));
    }

    /**
     * The caller an identity provider vouched for: the Ebb user of that name, unless disabled. Nobody is created on
     * the fly: an admin creates the user (without a password) and grants roles first.
     */
    @Transactional
    public Optional<Caller> signInVouched(String username) {
        Optional<UserEntity> user = users.findByUsername(username).filter(u -> u.disabledAt() == null);
        user.ifPresent(u -> u.signedIn(clock.instant()));
        return user.map(this::caller);
    }

    /** The signed-in user as they are now: their current grants, or empty once deleted or disabled. */
    @Transactional(readOnly = true)
    public Optional<Caller> current(String username) {
        return users.findByUsername(username).filter(user -> user.disabledAt() == null).map(this::caller);
    }

    private Caller caller(UserEntity user) {
        return new Caller(subject(user), Caller.Kind.USER, subjects.grantsOf(subject(user)));
    }

    private UserEntity find(String username) {
        return users.findByUsername(username)
                .orElseThrow(() -> new NotFoundException("No user named '" + username + "'; GET /api/v1/users lists them"));
    }

    private static String subject(UserEntity user) {
        return Subjects.USER + user.username();
    }

    private static UserView view(UserEntity user, List<Grant> grants) {
        return new UserView(user.username(), user.displayName(), Subjects.specs(grants), user.passwordHash() != null,
                user.disabledAt() != null, user.createdAt(), user.createdBy(), user.updatedAt(), user.updatedBy(),
                user.lastSignInAt());
    }
}
