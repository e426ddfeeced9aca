package io.modelplane.server.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** Headers suitable for a JSON API that no browser should render or cache. */
public final class SecurityHeadersFilter implements ContainerResponseFilter {
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    var headers = response.getHeaders();
    headers.putSingle("X-Content-Type-Options", "nosniff");
    headers.putSingle("Cache-Control", "no-store");
    headers.putSingle("X-Frame-Options", "DENY");
    headers.putSingle("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    headers.putSingle("Referrer-Policy", "no-referrer");
  }
}
