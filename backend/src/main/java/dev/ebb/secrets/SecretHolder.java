package dev.ebb.secrets;

import java.util.List;

/** A feature that stores secrets, seen by rotation: it hands them out locked and stores them re-encrypted. */
public interface SecretHolder {

    /** Every secret this feature stores, locked until the surrounding transaction ends. */
    List<StoredSecret> lockAll();

    /** Replaces a secret that {@link #lockAll()} returned with the same value encrypted anew. */
    void replace(StoredSecret secret, Sealed resealed);

    /**
     * One stored secret.
     *
     * @param id the row's id within its feature
     * @param row what the ciphertext is bound to, such as {@code cluster/prod}
     */
    record StoredSecret(long id, String row, Sealed sealed) {
    }
}
