package io.modelplane.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelplane.server.config.DatabaseConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The user PSK DAO scenarios; run once on H2 and once on PostgreSQL by the subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UserPskDaoContract {
  private Database database;

  protected abstract DatabaseConfig databaseConfig();

  @BeforeAll
  void open() {
    database = Database.open(databaseConfig());
  }

  @AfterAll
  void close() {
    database.close();
  }

  private UserPskDao dao() {
    return database.jdbi().onDemand(UserPskDao.class);
  }

  private static UserPskRow row(Instant createdAt) {
    return new UserPskRow(
        UUID.randomUUID(),
        UUID.randomUUID().toString().replace("-", "")
            + UUID.randomUUID().toString().replace("-", ""),
        "ci key",
        "ana",
        "[\"data-science\",\"scoring\"]",
        "platform",
        createdAt,
        createdAt.plus(30, ChronoUnit.DAYS),
        null);
  }

  @Test
  void insertThenFindByIdOrHashReturnsEveryColumn() {
    UserPskRow row = row(Instant.now().truncatedTo(ChronoUnit.MICROS));
    dao().insert(row);

    assertThat(dao().find(row.pskId())).contains(row);
    assertThat(dao().findBySecretHash(row.secretHash())).contains(row);
    assertThat(dao().findBySecretHash("0".repeat(64))).isEmpty();
  }

  @Test
  void aSecretHashIsUnique() {
    UserPskRow row = row(Instant.now().truncatedTo(ChronoUnit.MICROS));
    dao().insert(row);
    UserPskRow twin =
        new UserPskRow(
            UUID.randomUUID(),
            row.secretHash(),
            "twin",
            "bo",
            "[]",
            "platform",
            row.createdAt(),
            row.expiresAt(),
            null);

    assertThatThrownBy(() -> dao().insert(twin)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void revokeHappensOnceAndHidesTheKeyFromTheDefaultList() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UserPskRow older = row(now.minusSeconds(10));
    UserPskRow newer = row(now);
    dao().insert(older);
    dao().insert(newer);

    assertThat(dao().revoke(older.pskId(), now)).isEqualTo(1);
    assertThat(dao().revoke(older.pskId(), now.plusSeconds(1))).isZero();
    assertThat(dao().revoke(UUID.randomUUID(), now)).isZero();

    List<UUID> active = dao().list(false).stream().map(UserPskRow::pskId).toList();
    List<UUID> all = dao().list(true).stream().map(UserPskRow::pskId).toList();
    assertThat(active).contains(newer.pskId()).doesNotContain(older.pskId());
    assertThat(all).containsSubsequence(newer.pskId(), older.pskId()); // newest first
    assertThat(dao().find(older.pskId()).orElseThrow().deletedAt()).isEqualTo(now);
  }

  @Test
  void extendMovesTheExpiryOfActiveKeysOnly() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UserPskRow active = row(now);
    UserPskRow revoked = row(now);
    dao().insert(active);
    dao().insert(revoked);
    dao().revoke(revoked.pskId(), now);
    Instant later = now.plus(90, ChronoUnit.DAYS);

    assertThat(dao().extend(active.pskId(), later)).isEqualTo(1);
    assertThat(dao().extend(revoked.pskId(), later)).isZero();
    assertThat(dao().find(active.pskId()).orElseThrow().expiresAt()).isEqualTo(later);
    assertThat(dao().find(revoked.pskId()).orElseThrow().expiresAt())
        .isEqualTo(revoked.expiresAt());
  }
}
