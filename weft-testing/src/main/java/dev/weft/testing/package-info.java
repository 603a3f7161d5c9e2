/**
 * Servers for testing code that talks to other services: {@link MockApi}, a local HTTP API with
 * latency, errors and hostile answers.
 */
package dev.weft.testing;
