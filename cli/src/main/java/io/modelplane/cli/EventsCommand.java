package io.modelplane.cli;

import io.modelplane.client.model.Event;
import io.modelplane.client.model.EventPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code modelplane events}: one page of the ordered event feed. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "Reads the ordered event feed after a cursor; the cursor to read on from is printed on",
      "standard error (next: …)."
    })
final class EventsCommand implements Runnable {

  @ParentCommand ModelplaneCli root;

  @Option(names = "--after", paramLabel = "CURSOR", description = "A previous 'next' cursor.")
  String after;

  @Option(names = "--types", paramLabel = "A,B", description = "Comma-separated event types.")
  String types;

  @Option(names = "--limit", defaultValue = "100", paramLabel = "N")
  int limit;

  @Mixin OutputOption output;

  static final Table<Event> TABLE =
      new Table<Event>()
          .column("id", Event::getId)
          .column("type", e -> e.getType() == null ? null : e.getType().getValue())
          .column("timestamp", Event::getTimestamp)
          .column("data", Event::getData);

  @Override
  public void run() {
    EventPage page = root.client().events().read(after, types, limit);
    new Printer(root.out(), output.format).list(page.getItems(), TABLE);
    root.err().println("next: " + page.getNext());
  }
}
