-- User PSKs. The secret itself is never stored: only the hex SHA-256 of it, unique, which is also
-- how a presented key is found. Portable SQL: runs on PostgreSQL and H2.
CREATE TABLE user_psks (
    psk_id      UUID PRIMARY KEY,
    secret_hash VARCHAR(64)    NOT NULL,
    name        VARCHAR(200)   NOT NULL,
    owner       VARCHAR(200)   NOT NULL,
    roles       VARCHAR(30000) NOT NULL,
    created_by  VARCHAR(200)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at  TIMESTAMP WITH TIME ZONE
);

CREATE UNIQUE INDEX user_psks_by_secret_hash ON user_psks (secret_hash);
CREATE INDEX user_psks_by_created ON user_psks (created_at DESC, psk_id DESC);
