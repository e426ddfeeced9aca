package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class DeploymentKeysAndPsksApiPostgresTest extends DeploymentKeysAndPsksApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.postgres();
  }
}
