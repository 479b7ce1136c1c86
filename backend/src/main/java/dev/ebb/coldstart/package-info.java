/** Cold starts: how long requests waited for a revision at zero, phase by phase, and warming revisions ahead of traffic. */
package dev.ebb.coldstart;
