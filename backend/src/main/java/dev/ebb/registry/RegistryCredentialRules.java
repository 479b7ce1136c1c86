package dev.ebb.registry;

import dev.ebb.problem.FieldViolation;
import dev.ebb.spec.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a registry credential. Messages never quote the password, nor the server or username as
 * written, since a misplaced password could be in either.
 */
final class RegistryCredentialRules {

    static final int MAX_USERNAME = 256;
    static final int MAX_PASSWORD = 16 * 1024;

    private static final String LABEL = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9])";
    private static final Pattern HOST_AND_PORT = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*(?::([0-9]{1,5}))?");

    private RegistryCredentialRules() {
    }

    /**
     * Checks a credential.
     *
     * @param passwordRequired whether the password must be given (on create; a replace may keep the stored one)
     */
    static List<FieldViolation> validate(String namespace, String name, String server, String username, String password,
            String caBundle, boolean passwordRequired) {
        List<FieldViolation> violations = new ArrayList<>();
        if (caBundle != null) {
            check(violations, "caBundle", CaBundle.problem(caBundle));
        }
        check(violations, "namespace", Names.dns1123Problem(namespace, Names.MAX_LABEL));
        if (name == null) {
            violations.add(new FieldViolation("name", "is required: name the credential, e.g. \"name\": \"ghcr\""));
        } else {
            check(violations, "name", Names.dns1123Problem(name, Names.MAX_LABEL));
        }
        check(violations, "server", serverProblem(server));
        if (username == null || username.isBlank()) {
            violations.add(new FieldViolation("username", "is required: the user the registry knows, e.g. a robot account"));
        } else if (username.length() > MAX_USERNAME || username.chars().anyMatch(Character::isISOControl)) {
            violations.add(new FieldViolation("username", "must be at most " + MAX_USERNAME
                    + " characters with no control characters"));
        }
        if (password == null) {
            if (passwordRequired) {
                violations.add(new FieldViolation("password", "is required: the password or access token for the registry"));
            }
        } else if (password.isEmpty()) {
            violations.add(new FieldViolation("password", "must not be empty"));
        } else if (password.length() > MAX_PASSWORD) {
            violations.add(new FieldViolation("password", "must be at most " + MAX_PASSWORD + " characters, is "
                    + password.length()));
        }
        return violations;
    }

    /** Why {@code server} is not a registry host with an optional port, or null when it is. */
    static String serverProblem(String server) {
        if (server == null || server.isBlank()) {
            return "is required: the registry's host, with a port if it needs one, e.g. ghcr.io or localhost:5000";
        }
        if (server.contains("://")) {
            return "must be the registry's host only, without a scheme such as https://, e.g. ghcr.io";
        }
        if (server.contains("/") || server.contains("@")) {
            return "must be the registry's host with an optional port only, without a path or user, e.g. ghcr.io";
        }
        var matcher = HOST_AND_PORT.matcher(server);
        if (!matcher.matches() || server.length() > 253) {
            return "must be a host name or IPv4 address with an optional port, e.g. ghcr.io or localhost:5000";
        }
        if (matcher.group(1) != null) {
            int port = Integer.parseInt(matcher.group(1));
            if (port < 1 || port > 65535) {
                return "has port " + port + ", but a port is between 1 and 65535";
            }
        }
        return null;
    }

    private static void check(List<FieldViolation> violations, String field, String problem) {
        if (problem != null) {
            violations.add(new FieldViolation(field, problem));
        }
    }
}
