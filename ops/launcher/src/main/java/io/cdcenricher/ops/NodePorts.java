package io.cdcenricher.ops;

/**
 * The loopback ports of one KRaft node: its PLAINTEXT listener (clients and inter-broker traffic), its controller
 * listener (the quorum) and its SASL_PLAINTEXT listener (clients that authenticate).
 *
 * @param nodeId         the node's {@code node.id}, 1 for the first node
 * @param kafkaPort      PLAINTEXT listener
 * @param controllerPort CONTROLLER listener
 * @param saslPort       SASL_PLAINTEXT listener (SCRAM-SHA-512)
 */
public record NodePorts(int nodeId, int kafkaPort, int controllerPort, int saslPort) {
}
