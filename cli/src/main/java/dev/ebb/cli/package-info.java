/** The {@code ebb} command line: its root command, exit codes and the options every API command shares. */
package dev.ebb.cli;
