package io.modelplane.client;

import io.modelplane.client.api.KeysApi;
import io.modelplane.client.model.Psk;
import io.modelplane.client.model.PskCreate;
import io.modelplane.client.model.PskCreated;
import io.modelplane.client.model.PskExtend;
import io.modelplane.client.model.PskList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * User PSKs: {@code /api/psks}. Obtained from {@link ModelplaneClient#keys()}; thread-safe. Issuing
 * and managing keys needs the platform PSK.
 *
 * <p>Every method throws a {@link ModelplaneException} (or a subclass) when the call fails, after
 * the retries the client's {@link RetryPolicy} allows: the list and the revocation (a DELETE) are
 * retried as they are; the POSTs ({@link #create}, {@link #extend}) with one {@code
 * Idempotency-Key} per call.
 */
public final class Keys {

  private final KeysApi api;
  private final RetryPolicy retry;

  Keys(KeysApi api, RetryPolicy retry) {
    this.api = api;
    this.retry = retry;
  }

  /**
   * Issues a user PSK. The secret is in the response only: store it at once.
   *
   * @param request the key's name, owner, roles and validity
   * @return the key with its secret
   */
  public PskCreated create(PskCreate request) {
    Objects.requireNonNull(request, "request");
    return retry.executeWithIdempotencyKey(
        null, key -> api.createPsk(request, RetryPolicy.idempotencyHeader(key)));
  }

  /**
   * Lists the user PSKs, never their secrets.
   *
   * @param includeDeleted whether to include revoked keys
   * @return the keys
   */
  public List<Psk> list(boolean includeDeleted) {
    List<Psk> all = new ArrayList<>();
    listAll(includeDeleted, null).forEach(all::add);
    return List.copyOf(all);
  }

  /**
   * One page of user PSKs, newest first.
   *
   * @param includeDeleted whether to include revoked keys
   * @param pageSize 1 to 200, or {@code null} for the server's default (50)
   * @param pageToken {@code null} for the first page, else the previous page's token
   * @return the page
   */
  public Page<Psk> list(boolean includeDeleted, Integer pageSize, String pageToken) {
    PskList list = retry.execute(() -> api.listPsks(includeDeleted, pageSize, pageToken));
    return new Page<>(
        list.getItems() == null ? List.of() : list.getItems(), list.getNextPageToken());
  }

  /**
   * Every user PSK, fetched page by page as the result is consumed.
   *
   * @param includeDeleted whether to include revoked keys
   * @param pageSize 1 to 200, or {@code null} for the server's default
   * @return a lazy, re-iterable paginator
   */
  public Paginator<Psk> listAll(boolean includeDeleted, Integer pageSize) {
    return new Paginator<>(token -> list(includeDeleted, pageSize, token));
  }

  /**
   * Revokes a user PSK.
   *
   * @param pskId the key's id
   * @throws NotFoundException when there is no such key
   */
  public void delete(UUID pskId) {
    Objects.requireNonNull(pskId, "pskId");
    retry.execute(
        () -> {
          api.deletePsk(pskId);
          return null;
        });
  }

  /**
   * Extends a user PSK's validity.
   *
   * @param pskId the key's id
   * @param validityDays 1 to 3650 days
   * @return the key with its new expiry
   */
  public Psk extend(UUID pskId, int validityDays) {
    Objects.requireNonNull(pskId, "pskId");
    PskExtend body = new PskExtend().validityDays(validityDays);
    return retry.executeWithIdempotencyKey(
        null, key -> api.extendPsk(pskId, body, RetryPolicy.idempotencyHeader(key)));
  }
}
