/** Traffic splits: the rules a split must follow and how its targets resolve to revisions. */
package dev.ebb.traffic;
