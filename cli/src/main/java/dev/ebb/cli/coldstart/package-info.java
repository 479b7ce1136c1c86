/** {@code ebb coldstarts} and {@code ebb warm}: how long requests waited for revisions at zero, and keeping one warm ahead of traffic. */
package dev.ebb.cli.coldstart;
