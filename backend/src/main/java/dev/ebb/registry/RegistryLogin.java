package dev.ebb.registry;

/**
 * A decrypted registry credential, for the code that pulls or resolves images with it.
 *
 * @param plainHttp whether the server is spoken to in plain HTTP
 * @param caBundle PEM CA certificates to check the server's certificate against, null for the JVM's
 */
public record RegistryLogin(String name, String server, String username, String password, boolean plainHttp,
        String caBundle) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RegistryLogin[name=" + name + ", server=" + server + ", username=" + username + ", password=<redacted>]";
    }
}
