/** {@code ebb traffic set}: a service's traffic split written as {@code rev=90 @latest=10 --tag stable=rev}. */
package dev.ebb.cli.traffic;
