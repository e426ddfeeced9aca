package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class MaxRunTimeApiPostgresTest extends MaxRunTimeApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.postgres();
  }
}
