package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class JobApiH2Test extends JobApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.h2();
  }
}
