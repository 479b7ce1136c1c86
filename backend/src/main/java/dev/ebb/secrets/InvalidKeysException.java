package dev.ebb.secrets;

/** The configured encryption keys cannot be used; the message says what is wrong and how to fix it, never a key. */
public class InvalidKeysException extends IllegalStateException {

    InvalidKeysException(String message) {
        super(message);
    }
}
