package dev.ebb.secrets;

/**
 * An encrypted secret as it is stored: the ciphertext (which carries its key id and nonce) and, repeated
 * for queries and rotation, the id of the key it was encrypted with.
 */
public record Sealed(String keyId, byte[] ciphertext) {

    /** The bytes themselves stay out of logs and messages. */
    @Override
    public String toString() {
        return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
