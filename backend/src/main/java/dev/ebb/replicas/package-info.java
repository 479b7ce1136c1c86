/**
 * What the replicas of one Ebb tell each other: every committed change that another replica must act on (a service's
 * desired state, a cluster, a warm floor, registry credentials, a revision to retry), through PostgreSQL's LISTEN and
 * NOTIFY.
 */
package dev.ebb.replicas;
