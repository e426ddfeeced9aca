package io.modelplane.server.api;

import io.modelplane.server.api.generated.KeysApi;
import io.modelplane.server.api.model.PskCreate;
import io.modelplane.server.api.model.PskExtend;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** User PSK endpoints: in the contract, answered 501 until user PSKs land. */
@Path("/")
public final class KeyResource implements KeysApi {
  private static final String WHAT = "User PSKs";

  @Override
  public Response createPsk(PskCreate pskCreate) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response deletePsk(UUID pskId) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response extendPsk(UUID pskId, PskExtend pskExtend) {
    return NotImplementedYet.response(WHAT);
  }

  @Override
  public Response listPsks(Boolean includeDeleted) {
    return NotImplementedYet.response(WHAT);
  }
}
