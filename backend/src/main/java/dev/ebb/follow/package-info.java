/** Registry pushes, delivered to hooks or found by the poll, roll services that follow their image's tag out to the new digest. */
package dev.ebb.follow;
