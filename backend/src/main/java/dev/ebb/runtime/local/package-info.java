/** The local runtime driver: each revision instance is a child process on this machine, probed, restarted and stopped by Ebb. */
package dev.ebb.runtime.local;
