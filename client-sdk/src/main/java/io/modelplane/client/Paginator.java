package io.modelplane.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every item of a paginated list, fetched page by page as it is consumed: iterate over it, {@link
 * #stream()} it, or walk the {@link #pages()} themselves.
 *
 * <pre>{@code
 * for (AutoMLTrainingJobResponse job :
 *     client.trainingJobs().listAll(new TrainingJobs.Filter().domain("crm").pageSize(100))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Nothing is fetched until the first item (or page) is asked for, and each page only when the
 * previous one is used up. Every iteration or stream starts again from the first page. Each page is
 * one call, retried as the client's {@link RetryPolicy} says; a failure is thrown as a {@link
 * ModelplaneException} from the iterator. A server that hands out a page token a second time within
 * one pass ends it with an {@link IllegalStateException} instead of looping for ever.
 *
 * @param <T> the item type
 */
public final class Paginator<T> implements Iterable<T> {

  /**
   * Fetches one page.
   *
   * @param <T> the item type
   */
  @FunctionalInterface
  public interface PageFetcher<T> {
    /**
     * Fetches a page.
     *
     * @param pageToken {@code null} for the first page, else the previous page's next page token
     * @return the page
     * @throws ModelplaneException when the call fails
     */
    Page<T> fetch(String pageToken);
  }

  private final PageFetcher<T> fetcher;

  /**
   * Creates a paginator.
   *
   * @param fetcher fetches a page for a page token
   */
  public Paginator(PageFetcher<T> fetcher) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
  }

  /**
   * The pages, fetched lazily, the first included even when it is empty.
   *
   * @return a re-iterable view of the pages
   */
  public Iterable<Page<T>> pages() {
    return PageIterator::new;
  }

  /**
   * The pages as a sequential, lazy stream.
   *
   * @return the stream
   */
  public Stream<Page<T>> pageStream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            new PageIterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /**
   * Every item of every page, in order, fetched lazily.
   *
   * @return an iterator
   */
  @Override
  public Iterator<T> iterator() {
    return new ItemIterator();
  }

  /**
   * Every item as a sequential, lazy stream; e.g. {@code .limit(10)} fetches only the pages that
   * hold the first ten items.
   *
   * @return the stream
   */
  public Stream<T> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
  }

  /**
   * Fetches every page and collects every item.
   *
   * @return a new list
   */
  public List<T> toList() {
    List<T> all = new ArrayList<>();
    forEach(all::add);
    return all;
  }

  private final class PageIterator implements Iterator<Page<T>> {
    private final Set<String> seenTokens = new HashSet<>();
    private String nextToken;
    private boolean started;
    private boolean done;

    @Override
    public boolean hasNext() {
      return !done;
    }

    @Override
    public Page<T> next() {
      if (done) {
        throw new NoSuchElementException();
      }
      String token = started ? nextToken : null;
      started = true;
      Page<T> page = Objects.requireNonNull(fetcher.fetch(token), "the fetcher returned null");
      String next = page.nextPageToken().orElse(null);
      if (next == null) {
        done = true;
      } else if (!seenTokens.add(next)) {
        done = true;
        throw new IllegalStateException(
            "the server returned page token '" + next + "' twice; stopping the pagination");
      }
      nextToken = next;
      return page;
    }
  }

  private final class ItemIterator implements Iterator<T> {
    private final PageIterator pages = new PageIterator();
    private Iterator<T> current = List.<T>of().iterator();

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && pages.hasNext()) {
        current = pages.next().items().iterator();
      }
      return current.hasNext();
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
