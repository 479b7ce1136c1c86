package dev.ebb.identity;

import dev.ebb.access.Grant;
import dev.ebb.access.Role;
import dev.ebb.problem.FieldViolation;
import dev.ebb.spec.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What makes a username, a token name, a password and a list of grants acceptable; pure, for the API to explain. */
final class IdentityRules {

    static final int MIN_PASSWORD = 12;
    /** bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused instead. */
    static final int MAX_PASSWORD_BYTES = 72;
    static final int MAX_DISPLAY_NAME = 200;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9]([a-z0-9._@-]{0,62}[a-z0-9])?");

    private IdentityRules() {
    }

    static void username(String username, List<FieldViolation> violations) {
        if (username == null || username.isEmpty()) {
            violations.add(new FieldViolation("username", "is required"));
        } else if (!USERNAME.matcher(username).matches()) {
            violations.add(new FieldViolation("username", "'" + username + "' must be 1 to 64 lower-case letters, digits, '.', '_', '@' "
                    + "or '-', starting and ending with a letter or digit (for example 'alice' or 'alice@example.com')"));
        }
    }

    static void tokenName(String name, List<FieldViolation> violations) {
        String problem = Names.dns1123Problem(name, Names.MAX_LABEL);
        if (problem != null) {
            violations.add(new FieldViolation("name", problem));
        }
    }

    static void password(String password, String username, List<FieldViolation> violations) {
        if (password == null) {
            return;
        }
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            violations.add(new FieldViolation("password", "must be at least " + MIN_PASSWORD + " characters long"));
        } else if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            violations.add(new FieldViolation("password", "must be at most " + MAX_PASSWORD_BYTES
                    + " bytes in UTF-8 (bcrypt ignores the rest); a passphrase of a few words fits"));
        } else if (password.equalsIgnoreCase(username)) {
            violations.add(new FieldViolation("password", "must not be the username"));
        } else if (password.isBlank()) {
            violations.add(new FieldViolation("password", "must not be only spaces"));
        }
    }

    static void displayName(String displayName, List<FieldViolation> violations) {
        if (displayName != null && displayName.length() > MAX_DISPLAY_NAME) {
            violations.add(new FieldViolation("displayName", "must be at most " + MAX_DISPLAY_NAME + " characters"));
        }
    }

    /** The grants the specs describe; problems are added to {@code violations} and those entries skipped. */
    static List<Grant> grants(List<GrantSpec> specs, List<FieldViolation> violations) {
        List<Grant> grants = new ArrayList<>();
        if (specs == null) {
            return grants;
        }
        Set<String> namespaces = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            GrantSpec spec = specs.get(i);
            String at = "grants[" + i + "]";
            if (spec == null) {
                violations.add(new FieldViolation(at, "must be an object like {\"namespace\": \"ml\", \"role\": \"deployer\"}"));
                continue;
            }
            int before = violations.size();
            String namespace = spec.namespace();
            if (namespace == null) {
                violations.add(new FieldViolation(at + ".namespace", "is required: a namespace name, or '*' for every namespace"));
            } else if (!Grant.EVERY_NAMESPACE.equals(namespace)) {
                String problem = Names.dns1123Problem(namespace, Names.MAX_LABEL);
                if (problem != null) {
                    violations.add(new FieldViolation(at + ".namespace", problem + ", or '*' for every namespace"));
                }
            }
            Role role = spec.role() == null ? null : Role.parse(spec.role()).orElse(null);
            if (role == null) {
                violations.add(new FieldViolation(at + ".role", (spec.role() == null ? "is required" : "'" + spec.role() + "' is not a role")
                        + "; one of viewer, deployer, admin"));
            }
            boolean publish = Boolean.TRUE.equals(spec.publish());
            if (publish && role == Role.VIEWER) {
                violations.add(new FieldViolation(at + ".publish", "a viewer cannot make services public; give the role deployer"));
            }
            if (namespace != null && !namespaces.add(namespace)) {
                violations.add(new FieldViolation(at + ".namespace", "'" + namespace + "' appears twice; give one role per namespace"));
            }
            if (violations.size() == before) {
                grants.add(new Grant(namespace, role, publish || role == Role.ADMIN));
            }
        }
        return grants;
    }
}
