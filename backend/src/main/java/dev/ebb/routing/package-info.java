/** The control plane's side of routing: builds the versioned snapshot gateways route with and serves it by long-poll; takes back what gateways report of load. */
package dev.ebb.routing;
