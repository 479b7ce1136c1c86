package dev.ebb.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a caller writes to create or replace a registry credential. {@code password} is write-only: on
 * replace, leaving it out keeps the stored one. {@code plainHttp} makes Ebb speak plain HTTP to the server (a
 * registry without TLS, such as microk8s' at localhost:32000); {@code caBundle} is the PEM of the CA certificates
 * its TLS certificate is checked against instead of the JVM's. The read-only {@code namespace} and {@code metadata} of a
 * previously read credential may be sent back and are ignored; any other unknown field is rejected.
 */
@JsonIgnoreProperties({"namespace", "metadata"})
record RegistryCredentialSpec(String name, String server, String username, String password, Boolean plainHttp,
        String caBundle) {

    /** Spring logs request bodies at debug level by their toString: this one must not carry the password. */
    @Override
    public String toString() {
        return "RegistryCredentialSpec[name=" + name + ", server=" + server + ", password="
                + (password == null ? "<absent>" : "<redacted>") + "]";
    }
}
