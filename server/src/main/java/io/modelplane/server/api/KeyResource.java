package io.modelplane.server.api;

import io.modelplane.server.api.auth.CallerSecurityContext;
import io.modelplane.server.api.generated.KeysApi;
import io.modelplane.server.api.model.Psk;
import io.modelplane.server.api.model.PskCreate;
import io.modelplane.server.api.model.PskCreated;
import io.modelplane.server.api.model.PskExtend;
import io.modelplane.server.api.model.PskList;
import io.modelplane.server.service.IssuedUserPsk;
import io.modelplane.server.service.Page;
import io.modelplane.server.service.UserPsk;
import io.modelplane.server.service.UserPskService;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;

/**
 * User PSK endpoints. Who may call them (the platform PSK or an administrator) is decided by the
 * authorization filter; a new key's secret appears in the 201 body and nowhere else.
 */
@Path("/")
public final class KeyResource implements KeysApi {
  private final UserPskService keys;
  @Context private SecurityContext security;

  public KeyResource(UserPskService keys) {
    this.keys = keys;
  }

  @Override
  public Response createPsk(PskCreate body) {
    IssuedUserPsk issued =
        keys.issue(
            body.getName(),
            body.getOwner(),
            body.getRoles(),
            body.getValidityDays(),
            CallerSecurityContext.callerOf(security));
    UserPsk psk = issued.psk();
    PskCreated created = new PskCreated();
    created.setPskId(psk.pskId());
    created.setSecret(issued.secret());
    created.setName(psk.name());
    created.setOwner(psk.owner());
    created.setRoles(psk.roles());
    created.setCreatedAt(TrainingJobMapper.utc(psk.createdAt()));
    created.setExpiresAt(TrainingJobMapper.utc(psk.expiresAt()));
    return Response.status(201).entity(created).build();
  }

  @Override
  public Response listPsks(Boolean includeDeleted, Integer pageSize, String pageToken) {
    Page<UserPsk> page =
        keys.list(Boolean.TRUE.equals(includeDeleted), pageSize == null ? 50 : pageSize, pageToken);
    PskList body = new PskList();
    body.setItems(page.items().stream().map(KeyResource::toPsk).toList());
    body.setNextPageToken(page.nextPageToken());
    return Response.ok(body).build();
  }

  @Override
  public Response deletePsk(UUID pskId) {
    keys.revoke(pskId, CallerSecurityContext.callerOf(security));
    return Response.noContent().build();
  }

  @Override
  public Response extendPsk(UUID pskId, PskExtend body) {
    UserPsk psk =
        keys.extend(pskId, body.getValidityDays(), CallerSecurityContext.callerOf(security));
    return Response.ok(toPsk(psk)).build();
  }

  private static Psk toPsk(UserPsk psk) {
    Psk body = new Psk();
    body.setPskId(psk.pskId());
    body.setName(psk.name());
    body.setOwner(psk.owner());
    body.setRoles(psk.roles());
    body.setCreatedAt(TrainingJobMapper.utc(psk.createdAt()));
    body.setExpiresAt(TrainingJobMapper.utc(psk.expiresAt()));
    body.setIsDeleted(psk.isRevoked());
    body.setDeletedAt(TrainingJobMapper.utc(psk.deletedAt()));
    return body;
  }
}
