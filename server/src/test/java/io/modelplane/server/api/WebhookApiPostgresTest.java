package io.modelplane.server.api;

import io.modelplane.server.config.DatabaseConfig;
import io.modelplane.server.support.TestDatabases;

class WebhookApiPostgresTest extends WebhookApiContract {
  @Override
  protected DatabaseConfig databaseConfig() {
    return TestDatabases.postgres();
  }
}
