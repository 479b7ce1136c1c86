package dev.ebb.identity;

import java.util.Locale;
import java.util.Optional;

/** An API token acts with its grants; a gateway token may only fetch routing and report load. */
public enum TokenKind {
    API, GATEWAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<TokenKind> parse(String text) {
        for (TokenKind kind : values()) {
            if (kind.wireName().equals(text)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
