/** The control plane's background loops: a thread that runs a round every tick and survives failing rounds. */
package dev.ebb.background;
