package io.modelplane.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelplane.server.db.Keyset;
import io.modelplane.server.db.PlainJdbc;
import io.modelplane.server.db.UserPskDao;
import io.modelplane.server.db.UserPskRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User PSKs: issued by an administrator for an owner with roles, expiring, revocable. A secret is
 * {@value #SECRET_PREFIX} followed by 256 random bits (base64url); only its SHA-256 is stored, and
 * a presented key is found by that hash (an index lookup on a hash leaks nothing usable about the
 * secret) and then compared in constant time. Secrets are never logged.
 */
public final class UserPskService {
  private static final Logger LOG = LoggerFactory.getLogger(UserPskService.class);
  public static final String SECRET_PREFIX = "mpk_";
  private static final int SECRET_BYTES = 32;
  private static final int MAX_SECRET_LENGTH = 200;
  private static final TypeReference<List<String>> ROLES = new TypeReference<>() {};

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public UserPskService(Jdbi jdbi, ObjectMapper json, Clock clock) {
    this.jdbi = jdbi;
    this.json = json;
    this.clock = clock;
  }

  /** Issues a key valid for {@code validityDays}; the secret is in the result and nowhere else. */
  public IssuedUserPsk issue(
      String name, String owner, List<String> roles, int validityDays, Caller caller) {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = now();
    UserPskRow row =
        new UserPskRow(
            UUID.randomUUID(),
            hash(secret),
            name,
            owner,
            toJson(List.copyOf(new LinkedHashSet<>(roles))),
            caller.name(),
            now,
            now.plus(Duration.ofDays(validityDays)),
            null);
    jdbi.useExtension(UserPskDao.class, dao -> dao.insert(row));
    LOG.info(
        "Issued user PSK {} '{}' for {} (expires {}) by {}",
        row.pskId(),
        name,
        owner,
        row.expiresAt(),
        caller.name());
    return new IssuedUserPsk(toPsk(row), secret);
  }

  public List<UserPsk> list(boolean includeDeleted) {
    return jdbi.withExtension(UserPskDao.class, dao -> dao.list(includeDeleted)).stream()
        .map(this::toPsk)
        .toList();
  }

  /** One page of keys, newest first; revoked keys only with {@code includeDeleted}. */
  public Page<UserPsk> list(boolean includeDeleted, int pageSize, String pageToken) {
    Keyset after = pageToken == null ? null : PageTokens.decode(pageToken);
    List<UserPskRow> rows =
        jdbi.withExtension(
            UserPskDao.class,
            dao ->
                after == null
                    ? dao.firstPage(includeDeleted, pageSize + 1)
                    : dao.pageAfter(includeDeleted, after.createdAt(), after.id(), pageSize + 1));
    String next = null;
    if (rows.size() > pageSize) {
      rows = rows.subList(0, pageSize);
      UserPskRow last = rows.get(pageSize - 1);
      next = PageTokens.encode(new Keyset(last.createdAt(), last.pskId()));
    }
    return new Page<>(rows.stream().map(this::toPsk).toList(), next);
  }

  public UserPsk get(UUID pskId) {
    return jdbi.withExtension(UserPskDao.class, dao -> dao.find(pskId))
        .map(this::toPsk)
        .orElseThrow(() -> notFound(pskId));
  }

  /** Revokes a key at once; revoking a revoked key changes nothing. */
  public void revoke(UUID pskId, Caller caller) {
    get(pskId);
    int revoked = jdbi.withExtension(UserPskDao.class, dao -> dao.revoke(pskId, now()));
    if (revoked == 1) {
      LOG.info("Revoked user PSK {} by {}", pskId, caller.name());
    }
  }

  /** Moves the expiry to {@code max(expires_at, now) + validityDays}; a revoked key is a 409. */
  public UserPsk extend(UUID pskId, int validityDays, Caller caller) {
    Instant expiresAt =
        jdbi.inTransaction(
            handle -> {
              UserPskDao dao = handle.attach(UserPskDao.class);
              UserPskRow row = dao.find(pskId).orElseThrow(() -> notFound(pskId));
              if (row.deletedAt() != null) {
                throw new ConflictException(
                    "User PSK " + pskId + " is revoked: a revoked key cannot be extended");
              }
              Instant now = now();
              Instant from = row.expiresAt().isAfter(now) ? row.expiresAt() : now;
              Instant next = from.plus(Duration.ofDays(validityDays));
              if (dao.extend(pskId, next) == 0) {
                throw new ConflictException("User PSK " + pskId + " was revoked meanwhile");
              }
              return next;
            });
    LOG.info("Extended user PSK {} to {} by {}", pskId, expiresAt, caller.name());
    return get(pskId);
  }

  /**
   * The caller a presented secret stands for: the key's owner with its roles, while the key is
   * neither expired nor revoked. Empty for anything else, including secrets that are not user PSKs.
   */
  public Optional<Caller> authenticate(String secret) {
    if (!secret.startsWith(SECRET_PREFIX) || secret.length() > MAX_SECRET_LENGTH) {
      return Optional.empty();
    }
    String presented = hash(secret);
    Optional<UserPskRow> found =
        PlainJdbc.withConnection(
            jdbi, connection -> UserPskDao.findBySecretHash(connection, presented));
    if (found.isEmpty()
        || !MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.US_ASCII),
            found.get().secretHash().getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    UserPskRow row = found.get();
    if (row.deletedAt() != null) {
      LOG.info("Rejected user PSK {}: revoked at {}", row.pskId(), row.deletedAt());
      return Optional.empty();
    }
    if (!clock.instant().isBefore(row.expiresAt())) {
      LOG.info("Rejected user PSK {}: expired at {}", row.pskId(), row.expiresAt());
      return Optional.empty();
    }
    return Optional.of(new Caller(row.owner(), Set.copyOf(roles(row)), false));
  }

  /** Hex SHA-256 of a secret: what is stored and looked up. */
  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private UserPsk toPsk(UserPskRow row) {
    return new UserPsk(
        row.pskId(),
        row.name(),
        row.owner(),
        roles(row),
        row.createdBy(),
        row.createdAt(),
        row.expiresAt(),
        row.deletedAt());
  }

  private List<String> roles(UserPskRow row) {
    try {
      return json.readValue(row.roles(), ROLES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable roles of user PSK " + row.pskId(), e);
    }
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static NotFoundException notFound(UUID pskId) {
    return new NotFoundException("User PSK " + pskId + " not found");
  }
}
