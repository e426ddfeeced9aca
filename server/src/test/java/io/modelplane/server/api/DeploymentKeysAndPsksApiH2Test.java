package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class DeploymentKeysAndPsksApiH2Test extends DeploymentKeysAndPsksApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.h2();
  }
}
