/**
 * Java client of the Modelplane API.
 *
 * <p>The typed operations and models are generated from {@code openapi.yaml} at build time into
 * {@code io.modelplane.client.api}, {@code io.modelplane.client.model} and {@code
 * io.modelplane.client.invoker}. This package holds the hand-written facade:
 *
 * <ul>
 *   <li>{@link io.modelplane.client.ModelplaneClient}: builder (base URL, PSK or bearer token,
 *       timeouts, retry policy, waiter), User-Agent, and the resource groups;
 *   <li>the resource groups {@link io.modelplane.client.TrainingJobs}, {@link
 *       io.modelplane.client.Deployments}, {@link io.modelplane.client.DeploymentRuns} and {@link
 *       io.modelplane.client.Keys}, which call the generated API and map its errors;
 *   <li>{@link io.modelplane.client.RetryPolicy} (what is retried, how often, and the {@code
 *       Idempotency-Key} of POSTs), {@link io.modelplane.client.Page} and {@link
 *       io.modelplane.client.Paginator} (every page of a list), {@link io.modelplane.client.Waiter}
 *       and {@link io.modelplane.client.WaitTimeoutException} (polling until a job or run is done);
 *   <li>the typed exceptions rooted at {@link io.modelplane.client.ModelplaneException}.
 * </ul>
 *
 * <p>Enum values this SDK does not know (from a newer server) deserialize to the enum's {@code
 * UNKNOWN_DEFAULT_OPEN_API} constant, and unknown fields are ignored, so an older client keeps
 * working against a newer server.
 */
package io.modelplane.client;
