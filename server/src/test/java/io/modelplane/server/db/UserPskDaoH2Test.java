package io.modelplane.server.db;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class UserPskDaoH2Test extends UserPskDaoContract {
  private final DatabaseConfig config = TestDatabases.h2();

  @Override
  protected DatabaseConfig databaseConfig() {
    return config;
  }
}
