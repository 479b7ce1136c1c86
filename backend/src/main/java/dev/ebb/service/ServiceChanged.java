package dev.ebb.service;

/** Published after a transaction changed a service's desired state (created, updated, traffic, deleted). */
public record ServiceChanged(String namespace, String name) {
}
