package io.modelplane.server.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * The route template a request matched (e.g. {@code /api/automl/train/jobs/{job_id}}), never the
 * raw path, so that metrics and logs group requests without carrying ids; {@code UNMATCHED} when no
 * resource matched (404, 405 before matching). One per application (it keeps its routes).
 */
public final class RouteTemplates {
  public static final String UNMATCHED = "UNMATCHED";

  /**
   * The route of each resource method of the application reached without a sub-resource locator:
   * the same templates every time, so built once (and the same String, whose hash is kept, for the
   * metrics' keys).
   */
  private final Map<ResourceMethod, String> byMethod = new ConcurrentHashMap<>();

  public String of(ContainerRequestContext request) {
    UriInfo info = request.getUriInfo();
    if (!(info instanceof ExtendedUriInfo extended)) {
      return UNMATCHED;
    }
    ResourceMethod method = extended.getMatchedResourceMethod();
    if (method == null || !extended.getMatchedResourceLocators().isEmpty()) {
      return of(extended.getMatchedTemplates());
    }
    String route = byMethod.get(method);
    if (route == null) {
      route = of(extended.getMatchedTemplates());
      byMethod.putIfAbsent(method, route);
    }
    return route;
  }

  private static String of(List<UriTemplate> templates) {
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
