package dev.ebb.registry;

/** A namespace's registry credentials changed (one was created, changed or deleted); published inside the change. */
public record RegistryCredentialsChanged(String namespace) {
}
