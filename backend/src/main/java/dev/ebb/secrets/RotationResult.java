package dev.ebb.secrets;

import java.util.Map;

/**
 * What a rotation did.
 *
 * @param currentKey the key every stored secret is now encrypted with
 * @param reencrypted how many values were re-encrypted, by the key they had been encrypted with
 * @param alreadyCurrent how many values already used the current key; each was decrypted to check it
 */
public record RotationResult(String currentKey, Map<String, Integer> reencrypted, int alreadyCurrent) {
}
