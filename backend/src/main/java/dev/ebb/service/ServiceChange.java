package dev.ebb.service;

import java.time.Instant;

/**
 * One stored state of a service began at {@code at}: its spec was written, the status observed for it changed, or (with
 * {@code deleted}) it was deleted. Reading the services at {@code at} or later shows it.
 */
public record ServiceChange(String namespace, String name, Instant at, boolean deleted) {
}
