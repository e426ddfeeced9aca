package io.modelplane.client;

import io.modelplane.client.model.AutoMLTrainingJobList;
import io.modelplane.client.model.AutoMLTrainingJobResponse;
import io.modelplane.client.model.DeploymentList;
import io.modelplane.client.model.DeploymentResponse;
import io.modelplane.client.model.DeploymentRunList;
import io.modelplane.client.model.DeploymentRunSummary;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list: its items and the token of the next page, whatever list response it came from
 * ({@link AutoMLTrainingJobList}, {@link DeploymentList}, {@link DeploymentRunList}).
 *
 * @param <T> the item type
 */
public final class Page<T> {

  private final List<T> items;
  private final String nextPageToken;

  /**
   * Creates a page.
   *
   * @param items the items, in the server's order; {@code null} is taken as empty
   * @param nextPageToken the token of the next page; {@code null} or blank on the last page
   */
  public Page(List<T> items, String nextPageToken) {
    this.items = items == null ? List.of() : List.copyOf(items);
    this.nextPageToken = nextPageToken == null || nextPageToken.isBlank() ? null : nextPageToken;
  }

  /**
   * A page of training jobs.
   *
   * @param list the response
   * @return the page
   */
  public static Page<AutoMLTrainingJobResponse> of(AutoMLTrainingJobList list) {
    Objects.requireNonNull(list, "list");
    return new Page<>(list.getItems(), list.getNextPageToken());
  }

  /**
   * A page of deployments.
   *
   * @param list the response
   * @return the page
   */
  public static Page<DeploymentResponse> of(DeploymentList list) {
    Objects.requireNonNull(list, "list");
    return new Page<>(list.getItems(), list.getNextPageToken());
  }

  /**
   * A page of deployment runs.
   *
   * @param list the response
   * @return the page
   */
  public static Page<DeploymentRunSummary> of(DeploymentRunList list) {
    Objects.requireNonNull(list, "list");
    return new Page<>(list.getItems(), list.getNextPageToken());
  }

  /**
   * The items of this page.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<T> items() {
    return items;
  }

  /**
   * The token to pass as {@code page_token} for the next page.
   *
   * @return the token, or empty on the last page
   */
  public Optional<String> nextPageToken() {
    return Optional.ofNullable(nextPageToken);
  }

  /**
   * Whether another page follows.
   *
   * @return {@code true} when there is a next page token
   */
  public boolean hasNext() {
    return nextPageToken != null;
  }

  @Override
  public String toString() {
    return "Page[" + items.size() + " items, next=" + nextPageToken + "]";
  }
}
