package io.modelplane.it;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A validating reverse proxy: the SDK and the dag-helper talk to it, it forwards every request to
 * the server (or to a WireMock stand-in) and checks each request/response pair against {@code
 * openapi.yaml} ({@link OpenApiContract}) before handing the response back unchanged.
 *
 * <ul>
 *   <li>Every response is validated: its status must be declared for the operation, its body must
 *       match the schema, and a field the contract does not declare is a violation.
 *   <li>Every request is validated; a request that breaks the contract is a violation unless the
 *       server refused it with a 4xx (tests send invalid requests on purpose, and the server must
 *       refuse them).
 *   <li>When the upstream does not answer (killed, stopping), the client's connection is closed
 *       without a response, as a dead server's would be; nothing is validated.
 * </ul>
 *
 * <p>Violations are collected; {@link #assertNoViolations()} (called after each test) fails the
 * test with all of them. The upstream can be changed ({@link #retarget}) when a test restarts the
 * server on another port.
 */
final class ContractProxy implements AutoCloseable {

  /** Longer than any client's timeout in the tests: the client decides when to give up. */
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(120);

  /** Not forwarded: hop-by-hop headers, and those java.net.http sets itself. */
  private static final Set<String> SKIPPED_HEADERS =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "http2-settings",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "date");

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient upstream;
  private final OpenApiContract contract;
  private volatile String target;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final AtomicLong exchanges = new AtomicLong();
  private final AtomicInteger unanswered = new AtomicInteger();

  private ContractProxy(HttpServer server, ExecutorService executor, String target) {
    this.server = server;
    this.executor = executor;
    this.target = stripSlash(target);
    this.contract = OpenApiContract.get();
    this.upstream =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Starts a proxy on a free port of the loopback interface, forwarding to {@code target}. */
  static ContractProxy start(String target) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      ExecutorService executor =
          Executors.newCachedThreadPool(
              runnable -> {
                Thread thread = new Thread(runnable, "contract-proxy");
                thread.setDaemon(true);
                return thread;
              });
      ContractProxy proxy = new ContractProxy(server, executor, target);
      server.createContext("/", proxy::handle);
      server.setExecutor(executor);
      server.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the contract proxy", e);
    }
  }

  /** The URL the SDK and the dag-helper use, e.g. {@code http://127.0.0.1:40123}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Forwards to another upstream from now on (a restarted server). */
  void retarget(String newTarget) {
    this.target = stripSlash(newTarget);
  }

  /** How many request/response pairs were validated. */
  long exchanges() {
    return exchanges.get();
  }

  /** How many responses had this status. */
  int count(int status) {
    AtomicInteger n = statuses.get(status);
    return n == null ? 0 : n.get();
  }

  /** Responses per status so far. */
  Map<Integer, Integer> statusCounts() {
    Map<Integer, Integer> counts = new TreeMap<>();
    statuses.forEach((status, n) -> counts.put(status, n.get()));
    return counts;
  }

  /** Requests the upstream did not answer (connection refused or reset). */
  int unanswered() {
    return unanswered.get();
  }

  /** The violations so far (a copy). */
  List<String> violations() {
    return List.copyOf(violations);
  }

  /** Fails with every violation recorded since the last call, and forgets them. */
  void assertNoViolations() {
    List<String> found = List.copyOf(violations);
    violations.removeAll(found);
    if (!found.isEmpty()) {
      throw new AssertionError(
          found.size()
              + " exchange(s) violate "
              + contract.source()
              + ":\n"
              + String.join("\n", found));
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      URI uri = exchange.getRequestURI();
      String pathAndQuery =
          uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      byte[] body = exchange.getRequestBody().readAllBytes();

      HttpRequest.Builder forward =
          HttpRequest.newBuilder(URI.create(target + pathAndQuery)).timeout(UPSTREAM_TIMEOUT);
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!SKIPPED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(value -> forward.header(name, value));
                }
              });
      forward.method(
          method,
          body.length == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> response;
      try {
        response = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        // Closing the exchange without a response closes the client's connection.
        unanswered.incrementAndGet();
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }

      validate(method, uri, exchange, body, response);

      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!SKIPPED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    && !name.startsWith(":")) {
                  exchange.getResponseHeaders().put(name, new ArrayList<>(values));
                }
              });
      byte[] responseBody = response.body();
      int status = response.statusCode();
      boolean noBody = status == 204 || status == 304 || responseBody.length == 0;
      exchange.sendResponseHeaders(status, noBody ? -1 : responseBody.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(responseBody);
        }
      }
    }
  }

  private void validate(
      String method, URI uri, HttpExchange exchange, byte[] body, HttpResponse<byte[]> response) {
    exchanges.incrementAndGet();
    statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
    Request request = toContractRequest(method, uri, exchange.getRequestHeaders(), body);
    Response contractResponse = toContractResponse(response);
    List<String> problems = new ArrayList<>();
    try {
      if (response.statusCode() < 400 || response.statusCode() >= 500) {
        contract.requestViolations(request).forEach(p -> problems.add("request " + p));
      }
      contract.responseViolations(request, contractResponse).forEach(p -> problems.add(p));
    } catch (RuntimeException e) {
      problems.add("the validator failed: " + e);
    }
    if (!problems.isEmpty()) {
      String body8k = new String(response.body(), StandardCharsets.UTF_8);
      if (body8k.length() > 800) {
        body8k = body8k.substring(0, 800) + "…";
      }
      String violation =
          method
              + " "
              + uri
              + " → "
              + response.statusCode()
              + "\n    "
              + String.join("\n    ", problems)
              + "\n    response body: "
              + body8k;
      System.out.println("[modelplane-it] CONTRACT VIOLATION " + violation);
      violations.add(violation);
    }
  }

  static Request toContractRequest(
      String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    SimpleRequest.Builder builder = new SimpleRequest.Builder(method, uri.getRawPath());
    queryParameters(uri.getRawQuery()).forEach(builder::withQueryParam);
    headers.forEach(builder::withHeader);
    if (body.length > 0) {
      builder.withBody(new String(body, StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  private static Response toContractResponse(HttpResponse<byte[]> response) {
    SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.statusCode());
    response.headers().map().forEach(builder::withHeader);
    if (response.body().length > 0) {
      builder.withBody(new String(response.body(), StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  static Map<String, List<String>> queryParameters(String rawQuery) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      parameters
          .computeIfAbsent(decode(kv[0]), k -> new ArrayList<>())
          .add(kv.length > 1 ? decode(kv[1]) : "");
    }
    return parameters;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static String stripSlash(String url) {
    return url.replaceAll("/+$", "");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
