/** How callers prove who they are (bearer tokens, session sign-in with CSRF protection and throttling, sessions kept in PostgreSQL for every replica) and the rules that deny by default. */
package dev.ebb.security;
