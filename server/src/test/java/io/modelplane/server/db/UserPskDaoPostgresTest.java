package io.modelplane.server.db;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class UserPskDaoPostgresTest extends UserPskDaoContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.postgres();
  }
}
