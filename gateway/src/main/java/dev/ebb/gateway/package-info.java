/** The data plane: routes HTTP/1.1, HTTP/2 and gRPC requests by Host to revision instances by traffic weight. */
package dev.ebb.gateway;
