package dev.ebb.cli.config;

import java.net.URI;

/** Which Ebb a command calls, with which token, in which namespace when none is given. */
public record Connection(URI server, String token, String namespace) {
}
