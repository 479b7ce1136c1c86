package dev.ebb.service;

/** A service's identity: its namespace and name. */
public record ServiceName(String namespace, String name) {
}
