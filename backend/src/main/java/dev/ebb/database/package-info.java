/** Chooses the PostgreSQL Ebb stores its state in: an external URL when configured, an embedded one otherwise. */
package dev.ebb.database;
