package io.modelplane.server;

import io.modelplane.server.api.BuildInfo;
import io.modelplane.server.api.DeploymentResource;
import io.modelplane.server.api.EventResource;
import io.modelplane.server.api.JobResource;
import io.modelplane.server.api.JsonMapper;
import io.modelplane.server.api.KeyResource;
import io.modelplane.server.api.NoNulText;
import io.modelplane.server.api.PatchBodies;
import io.modelplane.server.api.RequestBodyLimitFilter;
import io.modelplane.server.api.RequestLogFilter;
import io.modelplane.server.api.SecurityHeadersFilter;
import io.modelplane.server.api.SystemResource;
import io.modelplane.server.api.TimeParamConverters;
import io.modelplane.server.api.TrainingJobResource;
import io.modelplane.server.api.WebhookResource;
import io.modelplane.server.api.auth.AuthenticationFilter;
import io.modelplane.server.api.auth.AuthorizationFeature;
import io.modelplane.server.api.errors.CatchAllExceptionMapper;
import io.modelplane.server.api.errors.ConstraintViolationMapper;
import io.modelplane.server.api.errors.JsonProcessingExceptionMapper;
import io.modelplane.server.api.errors.ParamExceptionMapper;
import io.modelplane.server.api.errors.ServiceExceptionMapper;
import io.modelplane.server.api.errors.WebApplicationExceptionMapper;
import io.modelplane.server.metrics.CallbackMetrics;
import io.modelplane.server.metrics.HttpRequestMetrics;
import io.modelplane.server.metrics.ServerMetrics;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The JAX-RS application: filters in the order a request meets them (request id and access log,
 * body limit, authentication, authorization, headers, NUL check), one exception mapper per family,
 * and the resources over the services.
 */
final class ModelplaneApi extends ResourceConfig {

  ModelplaneApi(ModelplaneServices services, BuildInfo build) {
    this(services, build, ServerMetrics.create(false));
  }

  ModelplaneApi(ModelplaneServices services, BuildInfo build, ServerMetrics metrics) {
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
    property(ServerProperties.BV_SEND_ERROR_IN_RESPONSE, false);
    // Every Location header the resources set is absolute already (built from the base URI): no
    // need for Jersey to read and parse the header of every response to resolve a relative one.
    property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
    register(JacksonFeature.withoutExceptionMappers());
    register(new JsonMapper());
    register(new TimeParamConverters());

    register(new RequestLogFilter(new HttpRequestMetrics(metrics.registry())));
    register(new CallbackMetrics(metrics.registry()));
    register(new RequestBodyLimitFilter());
    register(new AuthenticationFilter(services.authenticators()));
    register(
        new AuthorizationFeature(
            services.policy(),
            services.trainingJobs()::ownerOf,
            services.deployments().lifecycle()::exists,
            services.jobs()::ownerOf));
    register(new SecurityHeadersFilter());
    register(new NoNulText.QueryFilter());

    register(new ConstraintViolationMapper());
    register(new JsonProcessingExceptionMapper());
    register(ParamExceptionMapper.class);
    register(new WebApplicationExceptionMapper());
    register(new ServiceExceptionMapper());
    register(new CatchAllExceptionMapper());

    register(
        new SystemResource(
            build, services.database(), services.airflow().isPresent(), services.executorName()));
    register(new TrainingJobResource(services.trainingJobs()));
    register(
        new DeploymentResource(
            services.deployments().lifecycle(),
            services.deployments().runs(),
            services.executorName()));
    register(new PatchBodies());
    register(new KeyResource(services.userPsks()));
    register(new JobResource(services.jobs()));
    register(new WebhookResource(services.webhooks()));
    register(new EventResource(services.eventFeed()));
  }
}
