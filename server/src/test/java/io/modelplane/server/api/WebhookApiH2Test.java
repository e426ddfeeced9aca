package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class WebhookApiH2Test extends WebhookApiContract {
  private final DatabaseConfig database = TestDatabases.h2();

  @Override
  protected DatabaseConfig databaseConfig() {
    return database;
  }
}
