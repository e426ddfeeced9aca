package io.modelplane.server.api.auth;

import io.modelplane.server.api.errors.ApiErrors;
import io.modelplane.server.service.AccessPolicy;
import io.modelplane.server.service.AccessPolicy.Action;
import io.modelplane.server.service.Caller;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorization, in one place: every resource method gets a filter with its rule from {@link
 * OperationRules}, run after authentication; the decision itself is {@link AccessPolicy}'s. Valid
 * credentials without the right answer 403 before the operation does anything. A rule about a
 * resource that does not exist lets the request through, so the operation answers 404.
 *
 * <p>Rules about a deployment are not decided here: a deployment can appear, change its roles or be
 * archived between this filter and the change. The deployment services decide them on the row as
 * locked by the change's own transaction ({@code DeploymentRows.lockForChange}). This filter only
 * answers 404 for a deployment that does not exist when the request arrives, so that one created
 * meanwhile is never changed by it.
 *
 * <p>The platform's run callbacks (what every DAG run posts) are the exception: the callback's own
 * statement finds the deployment, and answers 404 when there is none, in the same round trip as the
 * change, so this filter does not read it first. The one answer that read decided before the
 * operation ran, 404 before any error of the request itself (its body, say), is kept by {@link
 * UnknownDeploymentFirst}: an error answer other than 404 is checked against the deployment, and
 * becomes the 404 when there is no such deployment.
 */
public final class AuthorizationFeature implements DynamicFeature {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFeature.class);

  private final AccessPolicy policy;
  private final Function<UUID, Optional<String>> trainingJobOwners;
  private final BiPredicate<String, String> deploymentExists;
  private final Function<UUID, Optional<String>> jobOwners;

  /**
   * @param trainingJobOwners the owner of a training job, empty when there is no such job
   * @param deploymentExists whether a live deployment of a model has a name
   */
  public AuthorizationFeature(
      AccessPolicy policy,
      Function<UUID, Optional<String>> trainingJobOwners,
      BiPredicate<String, String> deploymentExists) {
    this(policy, trainingJobOwners, deploymentExists, id -> Optional.empty());
  }

  /**
   * @param jobOwners the owner of a data-engineering job of /api/jobs, empty when there is none
   */
  public AuthorizationFeature(
      AccessPolicy policy,
      Function<UUID, Optional<String>> trainingJobOwners,
      BiPredicate<String, String> deploymentExists,
      Function<UUID, Optional<String>> jobOwners) {
    this.jobOwners = jobOwners;
    this.policy = policy;
    this.trainingJobOwners = trainingJobOwners;
    this.deploymentExists = deploymentExists;
  }

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    Method method = resourceInfo.getResourceMethod();
    if (method == null || isJerseysOwn(resourceInfo)) {
      // Jersey's automatic OPTIONS (and WADL) handlers only describe the resource (its Allow
      // header): any authenticated caller may ask, as for a read.
      return;
    }
    Optional<OperationRules.Rule> rule = OperationRules.forMethod(method.getName());
    if (rule.isEmpty()) {
      LOG.warn("No authorization rule for {}: platform PSK only", method.getName());
      context.register(new PlatformOnlyFilter(), Priorities.AUTHORIZATION);
    } else if (rule.get().target() != OperationRules.Target.PUBLIC) {
      context.register(new RuleFilter(rule.get()), Priorities.AUTHORIZATION);
      if (defersDeploymentCheck(rule.get())) {
        // First among the response filters (highest first), so the metrics and the access log
        // see the answer sent.
        context.register(new UnknownDeploymentFirst(), Priorities.USER + 1000);
      }
    }
  }

  private static void forbid(ContainerRequestContext request, Caller caller, String message) {
    LOG.info(
        "Forbidden: {} {} by {}",
        request.getMethod(),
        request.getUriInfo().getPath(),
        caller.name());
    request.abortWith(ApiErrors.error(403, "Forbidden: " + message));
  }

  private static Caller callerOf(ContainerRequestContext request) {
    return CallerSecurityContext.callerOf(request.getSecurityContext());
  }

  /** Evaluates one operation's rule. */
  private final class RuleFilter implements ContainerRequestFilter {
    private final OperationRules.Rule rule;

    RuleFilter(OperationRules.Rule rule) {
      this.rule = rule;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      Caller caller = callerOf(request);
      Action action = rule.action();
      switch (rule.target()) {
        case TRAINING_JOB -> {
          Optional<String> owner = pathUuid(request, "job_id").flatMap(trainingJobOwners::apply);
          if (owner.isPresent() && !policy.allows(caller, action, owner.get())) {
            forbid(
                request,
                caller,
                "only the platform PSK, the "
                    + AccessPolicy.ADMIN_ROLE
                    + " role or the job's owner may do this");
          }
        }
        case JOB -> {
          Optional<String> owner = pathUuid(request, "job_id").flatMap(jobOwners::apply);
          if (owner.isPresent() && !policy.allows(caller, action, owner.get())) {
            forbid(
                request,
                caller,
                "only the platform PSK, the "
                    + AccessPolicy.ADMIN_ROLE
                    + " role or the job's owner may do this");
          }
        }
        case DEPLOYMENT -> {
          // The right is decided by the deployment services on the locked row (class comment).
          String model = request.getUriInfo().getPathParameters().getFirst("model");
          String name = request.getUriInfo().getPathParameters().getFirst("name");
          if (model == null || name == null) {
            return;
          }
          if (defersDeploymentCheck(rule) && caller.platform()) {
            request.setProperty(DEFERRED_DEPLOYMENT_CHECK, Boolean.TRUE);
          } else if (!deploymentExists.test(model, name)) {
            request.abortWith(deploymentNotFound(model, name));
          }
        }
        case NONE -> {
          if (!policy.allows(caller, action, null)) {
            forbid(request, caller, describe(action));
          }
        }
        case PUBLIC -> {}
      }
    }

    private Optional<UUID> pathUuid(ContainerRequestContext request, String name) {
      String value = request.getUriInfo().getPathParameters().getFirst(name);
      try {
        return Optional.ofNullable(value).map(UUID::fromString);
      } catch (IllegalArgumentException e) {
        return Optional.empty(); // the operation answers 422 for it
      }
    }

    private String describe(Action action) {
      String admins = "the platform PSK or the " + AccessPolicy.ADMIN_ROLE + " role";
      return switch (action) {
        case WRITEBACK -> "status writebacks need " + admins;
        case PSK_ADMIN -> "managing user PSKs needs " + admins;
        default -> "this needs " + admins;
      };
    }
  }

  /** The request property that says the deployment's existence was not read before it ran. */
  private static final String DEFERRED_DEPLOYMENT_CHECK =
      "modelplane.authorization.deploymentCheckDeferred";

  /**
   * Whether the platform's requests of this operation skip the existence read (class comment): the
   * run callback, whose service answers 404 for an unknown deployment before anything else.
   */
  private static boolean defersDeploymentCheck(OperationRules.Rule rule) {
    return rule.target() == OperationRules.Target.DEPLOYMENT && rule.action() == Action.CALLBACK;
  }

  private static Response deploymentNotFound(String model, String name) {
    return ApiErrors.error(404, "Deployment " + name + " of model " + model + " not found");
  }

  /**
   * For a request whose deployment was not read before it ran: an error answer (4xx other than 404,
   * e.g. a body that fails validation) becomes the 404 the filter would have answered first when
   * the deployment does not exist. The read happens only on such errors.
   */
  private final class UnknownDeploymentFirst implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
      int status = response.getStatus();
      if (request.getProperty(DEFERRED_DEPLOYMENT_CHECK) == null
          || status < 400
          || status >= 500
          || status == 404) {
        return;
      }
      String model = request.getUriInfo().getPathParameters().getFirst("model");
      String name = request.getUriInfo().getPathParameters().getFirst("name");
      if (!deploymentExists.test(model, name)) {
        Response notFound = deploymentNotFound(model, name);
        response.setStatus(notFound.getStatus());
        response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, notFound.getMediaType());
        response.setEntity(notFound.getEntity(), new Annotation[0], notFound.getMediaType());
      }
    }
  }

  /** For an operation without a rule: fail closed. */
  private static final class PlatformOnlyFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      Caller caller = callerOf(request);
      if (!caller.platform()) {
        forbid(request, caller, "this operation is platform PSK only");
      }
    }
  }

  private static boolean isJerseysOwn(ResourceInfo resourceInfo) {
    Class<?> type = resourceInfo.getResourceClass();
    return type != null && type.getName().startsWith("org.glassfish.jersey.");
  }
}
