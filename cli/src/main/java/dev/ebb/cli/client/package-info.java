/** Calls Ebb's REST API over the JDK's HTTP client and turns its problem documents into sentences and exit codes. */
package dev.ebb.cli.client;
