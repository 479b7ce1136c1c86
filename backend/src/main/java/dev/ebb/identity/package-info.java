/** The people and programs that call Ebb: users with hashed passwords, API and gateway tokens, and the roles they hold. */
package dev.ebb.identity;
