package io.modelplane.cli;

import io.modelplane.client.ModelplaneClient;
import io.modelplane.client.ModelplaneException;
import io.modelplane.client.WaitBlockedException;
import io.modelplane.client.WaitTimeoutException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code modelplane}: the command line for people. Run it with {@code --help} for the commands; the
 * exit codes are in {@link ExitCode}.
 */
@Command(
    name = "modelplane",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Training jobs, deployments, runs, PSKs, webhooks and events of a Modelplane server.",
    subcommands = {
      JobsCommand.class,
      DeploymentsCommand.class,
      RunsCommand.class,
      PsksCommand.class,
      WebhooksCommand.class,
      EventsCommand.class,
      CompletionCommand.class
    },
    footerHeading = "%n",
    footer = {
      "The server is $MODELPLANE_URL and the PSK $MODELPLANE_PSK, unless --url, --psk or a",
      "profile of ~/.config/modelplane/config.yaml ($MODELPLANE_CONFIG) say otherwise.",
      "Exit codes: 0 ok; 1 server error (5xx), or wait ended failed, stuck or timed out;",
      "2 usage error; 3 rejected by the server (4xx); 4 server unreachable."
    })
public final class ModelplaneCli {

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "Server base URL (default: $MODELPLANE_URL or the profile's url).")
  String url;

  @Option(
      names = "--psk",
      scope = ScopeType.INHERIT,
      paramLabel = "KEY",
      description =
          "PSK (default: $MODELPLANE_PSK or the profile's; prefer those: --psk shows in"
              + " the process list).")
  String psk;

  @Option(
      names = {"-p", "--profile"},
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description =
          "Profile of the configuration file (default: $MODELPLANE_PROFILE, else its"
              + " current_profile or 'default').")
  String profile;

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Configuration file (default: $MODELPLANE_CONFIG, else"
              + " ~/.config/modelplane/config.yaml).")
  Path config;

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream in;
  private ModelplaneClient client;

  ModelplaneCli(Map<String, String> env, PrintWriter out, PrintWriter err, InputStream in) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.in = in;
  }

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err, System.in));
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   * @param env the environment
   * @param out standard output
   * @param err standard error
   * @param in standard input (for {@code -f -})
   * @return the exit code
   */
  public static int run(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err, InputStream in) {
    PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
    int code = commandLine(new ModelplaneCli(env, o, e, in)).execute(args);
    o.flush();
    e.flush();
    return code;
  }

  static CommandLine commandLine(ModelplaneCli cli) {
    CommandLine cl = new CommandLine(cli);
    cl.setOut(cli.out);
    cl.setErr(cli.err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExitCodeExceptionMapper(ModelplaneCli::exitCode);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          cli.err.println("modelplane: " + message(ex));
          cli.err.flush();
          return exitCode(ex);
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          cli.err.println("modelplane: " + ex.getMessage());
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, cli.err)) {
            cli.err.println(
                "Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
          }
          cli.err.flush();
          return ExitCode.USAGE;
        });
    return cl;
  }

  /** The exit code for an exception that ended a command. */
  static int exitCode(Throwable e) {
    if (e instanceof ModelplaneException m) {
      int status = m.getStatus();
      if (status == 0) {
        return ExitCode.UNREACHABLE;
      }
      return status >= 400 && status < 500 ? ExitCode.REJECTED : ExitCode.FAILED;
    }
    if (e instanceof UsageException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof CommandLine.ParameterException) {
      return ExitCode.USAGE;
    }
    return ExitCode.FAILED;
  }

  private static String message(Throwable e) {
    if (e instanceof ModelplaneException m) {
      StringBuilder s = new StringBuilder();
      if (m.getStatus() != 0) {
        s.append("HTTP ").append(m.getStatus()).append(": ");
      }
      s.append(m.getMessage());
      m.getRequestId().ifPresent(id -> s.append(" (request id ").append(id).append(")"));
      return s.toString();
    }
    if (e instanceof WaitBlockedException || e instanceof WaitTimeoutException) {
      return e.getMessage();
    }
    if (e instanceof UsageException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException) {
      return e.getMessage();
    }
    return e.toString();
  }

  /** The client for this invocation, built on first use from the resolved connection. */
  ModelplaneClient client() {
    return client(null);
  }

  /**
   * The client, whose waiter polls at most {@code maxPoll} apart (default 15 s), for {@code wait}.
   */
  ModelplaneClient client(java.time.Duration maxPoll) {
    if (client == null) {
      Connection c = connection();
      if (c.pskSource() != null && c.pskSource().equals("--psk")) {
        err.println(
            "modelplane: warning: --psk is visible in the process list; prefer MODELPLANE_PSK");
      }
      ModelplaneClient.Builder builder = ModelplaneClient.builder();
      try {
        builder.baseUrl(c.url());
        if (c.psk() != null) {
          builder.psk(c.psk());
        }
        if (maxPoll != null) {
          java.time.Duration first = java.time.Duration.ofSeconds(1);
          builder.waiter(
              io.modelplane.client.Waiter.builder()
                  .initialDelay(maxPoll.compareTo(first) < 0 ? maxPoll : first)
                  .maxDelay(maxPoll)
                  .build());
        }
        client = builder.build();
      } catch (IllegalStateException e) {
        throw new UsageException(c.urlSource() + ": " + e.getMessage(), e);
      }
    }
    return client;
  }

  /** The resolved server URL and PSK. */
  Connection connection() {
    // Only --config must exist: $MODELPLANE_CONFIG may name a file not written yet.
    Path path = config != null ? config : ConfigFile.location(env);
    return Connection.resolve(url, psk, profile, env, ConfigFile.read(path, config != null));
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  InputStream in() {
    return in;
  }
}
