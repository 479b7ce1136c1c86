/** A revision's output, read from whichever cluster runs it: the local runtime's buffers or the pod log API. */
package dev.ebb.logs;
