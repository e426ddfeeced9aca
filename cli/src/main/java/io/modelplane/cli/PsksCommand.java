package io.modelplane.cli;

import io.modelplane.client.Keys;
import io.modelplane.client.model.Psk;
import io.modelplane.client.model.PskCreate;
import io.modelplane.client.model.PskCreated;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code modelplane psks}: user PSKs. */
@Command(
    name = "psks",
    aliases = "psk",
    mixinStandardHelpOptions = true,
    description = "User PSKs: create (the secret is shown once), list, extend, revoke.")
final class PsksCommand {

  @ParentCommand ModelplaneCli root;

  static final Table<Psk> TABLE =
      new Table<Psk>()
          .column("psk_id", Psk::getPskId)
          .column("name", Psk::getName)
          .column("owner", Psk::getOwner)
          .column("roles", p -> p.getRoles() == null ? null : String.join(",", p.getRoles()))
          .column("expires_at", Psk::getExpiresAt)
          .column("deleted", p -> Boolean.TRUE.equals(p.getIsDeleted()) ? "yes" : "no");

  private Keys keys() {
    return root.client().keys();
  }

  @Command(
      name = "create",
      description = {
        "Issues a user PSK, from a file or the options; prints its secret once.",
        "With -o table only the secret is printed on standard output (for KEY=$(...))."
      })
  void create(
      @Option(
              names = {"-f", "--file"},
              paramLabel = "FILE",
              description = "YAML or JSON with name, owner, roles, validity_days.")
          String file,
      @Option(names = "--name") String name,
      @Option(names = "--owner") String owner,
      @Option(names = "--role", paramLabel = "ROLE", description = "A role (repeatable).")
          List<String> roles,
      @Option(names = "--validity-days", paramLabel = "DAYS") Integer validityDays,
      @Mixin OutputOption output) {
    PskCreate request =
        file == null ? new PskCreate() : InputFile.read(file, root.in(), PskCreate.class);
    if (name != null) {
      request.setName(name);
    }
    if (owner != null) {
      request.setOwner(owner);
    }
    if (roles != null) {
      request.setRoles(roles);
    }
    if (validityDays != null) {
      request.setValidityDays(validityDays);
    }
    if (request.getName() == null || request.getOwner() == null) {
      throw new UsageException("a PSK needs a name and an owner (--name, --owner or -f FILE)");
    }
    PskCreated created = keys().create(request);
    if (output.format == OutputFormat.table) {
      root.err()
          .println(
              "created PSK "
                  + created.getPskId()
                  + " ("
                  + created.getName()
                  + ", owner "
                  + created.getOwner()
                  + ", expires "
                  + created.getExpiresAt()
                  + "); the secret below is not shown again:");
      root.out().println(created.getSecret());
    } else {
      new Printer(root.out(), output.format).one(created);
    }
  }

  @Command(name = "list", aliases = "ls", description = "Lists user PSKs (never their secrets).")
  void list(
      @Option(names = "--include-deleted", description = "Show revoked PSKs too.")
          boolean includeDeleted,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).list(keys().list(includeDeleted), TABLE);
  }

  @Command(name = "extend", description = "Extends a PSK's validity.")
  void extend(
      @Parameters(paramLabel = "PSK_ID") UUID pskId,
      @Option(names = "--days", required = true, paramLabel = "DAYS") int days,
      @Mixin OutputOption output) {
    new Printer(root.out(), output.format).one(keys().extend(pskId, days));
  }

  @Command(name = "revoke", aliases = "delete", description = "Revokes a PSK.")
  void revoke(@Parameters(paramLabel = "PSK_ID") UUID pskId) {
    keys().delete(pskId);
    root.out().println("revoked PSK " + pskId);
  }
}
