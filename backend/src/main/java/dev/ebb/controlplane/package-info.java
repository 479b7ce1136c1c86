/** What a control-plane replica says about the control plane: which replica leads, and how many gateways it feeds. */
package dev.ebb.controlplane;
