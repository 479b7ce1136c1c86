package dev.ebb.identity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The answer to creating a token: the only time its value is shown. */
public record CreatedToken(@JsonUnwrapped TokenView token, String value) {
}
