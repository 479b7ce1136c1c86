package dev.ebb.registry;

/** A decrypted registry credential, for the code that pulls or resolves images with it. */
public record RegistryLogin(String server, String username, String password) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RegistryLogin[server=" + server + ", username=" + username + ", password=<redacted>]";
    }
}
