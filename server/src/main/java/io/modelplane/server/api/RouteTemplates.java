package io.modelplane.server.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * The route template a request matched (e.g. {@code /api/automl/train/jobs/{job_id}}), never the
 * raw path, so that metrics and logs group requests without carrying ids; {@code UNMATCHED} when no
 * resource matched (404, 405 before matching).
 */
public final class RouteTemplates {
  public static final String UNMATCHED = "UNMATCHED";

  private RouteTemplates() {}

  public static String of(ContainerRequestContext request) {
    UriInfo info = request.getUriInfo();
    if (!(info instanceof ExtendedUriInfo extended)) {
      return UNMATCHED;
    }
    List<UriTemplate> templates = extended.getMatchedTemplates();
    if (templates == null || templates.isEmpty()) {
      return UNMATCHED;
    }
    StringBuilder route = new StringBuilder();
    for (int i = templates.size() - 1; i >= 0; i--) {
      String part = templates.get(i).getTemplate();
      if (part.isEmpty() || part.equals("/")) {
        continue;
      }
      if (route.length() == 0 || route.charAt(route.length() - 1) != '/') {
        if (!part.startsWith("/")) {
          route.append('/');
        }
      } else if (part.startsWith("/")) {
        part = part.substring(1);
      }
      route.append(part);
    }
    return route.length() == 0 ? "/" : route.toString();
  }
}
