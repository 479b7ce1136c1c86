/** What the CLI's end-to-end tests run: the packaged control plane, and the launcher as a process. */
package dev.ebb.cli.support;
