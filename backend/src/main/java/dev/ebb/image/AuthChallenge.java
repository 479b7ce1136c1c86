package dev.ebb.image;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a registry's {@code WWW-Authenticate} header (RFC 7235): a scheme such as {@code Bearer} or
 * {@code Basic} and its parameters, such as {@code realm}, {@code service} and {@code scope} of a token server.
 *
 * @param scheme the scheme, lower-case
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

    public AuthChallenge {
        parameters = Map.copyOf(parameters);
    }

    /** The first challenge among the header values with a scheme Ebb speaks (Bearer before Basic), if any. */
    public static Optional<AuthChallenge> choose(List<String> headerValues) {
        List<AuthChallenge> challenges = headerValues.stream().map(AuthChallenge::parse).flatMap(Optional::stream).toList();
        return challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst()
                .or(() -> challenges.stream().filter(c -> c.scheme().equals("basic")).findFirst());
    }

    /** Reads one header value: {@code Bearer realm="https://auth.example/token",service="registry",scope="..."}. */
    public static Optional<AuthChallenge> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String text = header.strip();
        int space = text.indexOf(' ');
        String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String key = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            i = equals + 1;
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            parameters.put(key, value.toString().strip());
        }
        return Optional.of(new AuthChallenge(scheme, parameters));
    }

    public String parameter(String name) {
        return parameters.get(name);
    }
}
