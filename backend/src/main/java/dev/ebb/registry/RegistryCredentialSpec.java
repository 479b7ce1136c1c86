package dev.ebb.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a caller writes to create or replace a registry credential. {@code password} is write-only: on
 * replace, leaving it out keeps the stored one. The read-only {@code namespace} and {@code metadata} of a
 * previously read credential may be sent back and are ignored; any other unknown field is rejected.
 */
@JsonIgnoreProperties({"namespace", "metadata"})
record RegistryCredentialSpec(String name, String server, String username, String password) {

    /** Spring logs request bodies at debug level by their toString: this one must not carry the password. */
    @Override
    public String toString() {
        return "RegistryCredentialSpec[name=" + name + ", server=" + server + ", password="
                + (password == null ? "<absent>" : "<redacted>") + "]";
    }
}
