package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class DeploymentApiH2Test extends DeploymentApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.h2();
  }
}
