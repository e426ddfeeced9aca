/**
 * Java client of the Modelplane API.
 *
 * <p>The typed operations and models are generated from {@code openapi.yaml} at build time into
 * {@code io.modelplane.client.api}, {@code io.modelplane.client.model} and {@code
 * io.modelplane.client.invoker}. This package holds the small hand-written facade: {@link
 * io.modelplane.client.ModelplaneClient} (builder, authentication, User-Agent, timeouts) and the
 * typed exceptions rooted at {@link io.modelplane.client.ModelplaneException}.
 */
package io.modelplane.client;
