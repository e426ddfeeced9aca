package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class ReconcileApiPostgresTest extends ReconcileApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.postgres();
  }
}
