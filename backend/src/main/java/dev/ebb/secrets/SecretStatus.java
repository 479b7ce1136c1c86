package dev.ebb.secrets;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the API and the audit trail show of a write-only secret: that it is stored and with which key,
 * never its value.
 *
 * @param changed in audit events only: whether the change wrote a new value
 */
public record SecretStatus(boolean stored, String encryptedWith, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean changed) {

    public static SecretStatus of(Sealed sealed) {
        return new SecretStatus(true, sealed.keyId(), null);
    }

    /** The same status as an audit event shows it. */
    public SecretStatus changed(boolean changed) {
        return new SecretStatus(stored, encryptedWith, changed);
    }
}
