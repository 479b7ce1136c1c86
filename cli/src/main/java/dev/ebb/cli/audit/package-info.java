/** {@code ebb audit}: the audit trail, newest first, with the API's filters and paging. */
package dev.ebb.cli.audit;
