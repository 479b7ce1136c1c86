/** What the control plane and its gateways exchange: routing snapshots one way, load and cold-start reports the other. */
package dev.ebb.feed;
