package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class SecurityApiH2Test extends SecurityApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.h2();
  }
}
