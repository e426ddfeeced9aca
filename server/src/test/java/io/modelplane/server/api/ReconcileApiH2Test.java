package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class ReconcileApiH2Test extends ReconcileApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.h2();
  }
}
