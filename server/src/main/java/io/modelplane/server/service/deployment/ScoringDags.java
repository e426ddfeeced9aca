package io.modelplane.server.service.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.DeploymentDao;
import io.modelplane.server.db.DeploymentRow;
import io.modelplane.server.integration.dagstore.DagStore;
import io.modelplane.server.render.DagRenderer;
import io.modelplane.server.render.ScoringDag;
import io.modelplane.server.service.TableRef;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The scoring DAG of a deployment: rendered from the row ({@link ScoringDag}), and its file kept
 * equal to the committed row. The file is written after the change commits, by {@link #sync}, which
 * locks the row again and writes what the row holds then (or deletes the file of an archived
 * deployment): concurrent changes write their files in the order of their locks, and a change that
 * rolled back never reaches the store.
 */
final class ScoringDags {
  private final DagRenderer renderer;
  private final DagStore store;
  private final DeploymentRows rows;
  private final URI publicUrl;
  private final ObjectMapper json;
  private final Supplier<Instant> clock;

  ScoringDags(
      DagRenderer renderer,
      DagStore store,
      DeploymentRows rows,
      URI publicUrl,
      ObjectMapper json,
      Supplier<Instant> clock) {
    this.renderer = renderer;
    this.store = store;
    this.rows = rows;
    this.publicUrl = publicUrl;
    this.json = json;
    this.clock = clock;
  }

  /** The DAG source for a row's current specification. */
  String render(DeploymentRow row) {
    return model(row).render(renderer, json);
  }

  ScoringDag model(DeploymentRow row) {
    TableRef source = new TableRef(row.sourceCatalog(), row.sourceSchema(), row.sourceTable());
    TableRef target = new TableRef(row.targetCatalog(), row.targetSchema(), row.targetTable());
    return new ScoringDag(
        row.dagId(),
        publicUrl.toString(),
        row.schedule(),
        new ScoringDag.Deployment(
            row.deploymentId().toString(),
            row.modelName(),
            row.name(),
            row.resolvedModelVersion(),
            row.modelAlias(),
            new ScoringDag.Source(
                row.sourceCatalog(),
                row.sourceSchema(),
                row.sourceTable(),
                source.quoted(),
                row.filterSql(),
                row.snapshotId()),
            new ScoringDag.Target(
                row.targetCatalog(), row.targetSchema(), row.targetTable(), target.quoted()),
            rows.entityColumns(row),
            row.rerunBehavior(),
            row.partitionColumn()));
  }

  /**
   * Makes the stored DAG file what the committed row says, under the row's lock: the rendered DAG
   * of a live deployment, no file for an archived one. Returns the row as it was synced.
   *
   * @throws RuntimeException from the store; nothing in the database depends on it
   */
  Optional<DeploymentRow> sync(UUID deploymentId) {
    return rows.jdbi()
        .inTransaction(
            handle -> {
              Optional<DeploymentRow> locked = rows.lock(handle, deploymentId);
              locked.ifPresent(row -> write(handle.attach(DeploymentDao.class), row));
              return locked;
            });
  }

  /** Writes (or deletes) the file of a locked row and records where it is. */
  URI write(DeploymentDao dao, DeploymentRow locked) {
    if ("archived".equals(locked.status())) {
      store.delete(locked.dagId());
      return null;
    }
    URI uri = store.put(locked.dagId(), locked.renderedDag());
    if (!uri.toString().equals(locked.dagS3Uri())) {
      dao.updateDagUri(locked.deploymentId(), uri.toString(), clock.get());
    }
    return uri;
  }
}
