/** {@code ebb service list|get|delete}: the services of a namespace, or of every namespace one may read. */
package dev.ebb.cli.service;
