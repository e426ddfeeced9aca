package io.modelplane.server;

import jakarta.servlet.ServletContext;
import java.util.Set;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.internal.spi.ExtendedServletContainerProvider;
import org.glassfish.jersey.servlet.internal.spi.RequestScopedInitializerProvider;

/**
 * Tells Jersey's servlet container (through its service-loader SPI) that nothing in the application
 * injects {@code HttpServletRequest} or {@code HttpServletResponse}: resources and filters use the
 * JAX-RS context instead. Without it, Jersey binds both in HK2's request scope and sets them on
 * every request (two look-ups, two scoped instances to release). Anything that asks for them anyway
 * fails when the application starts, not on a request.
 */
public final class NoServletRequestInjection implements ExtendedServletContainerProvider {
  private static final RequestScopedInitializerProvider NOTHING_TO_SET =
      context -> injectionManager -> {};

  @Override
  public RequestScopedInitializerProvider getRequestScopedInitializerProvider() {
    return NOTHING_TO_SET;
  }

  @Override
  public boolean bindsServletRequestResponse() {
    return true; // i.e. Jersey must not bind them: no one injects them
  }

  @Override
  public void preInit(ServletContext context, Set<Class<?>> classes) {}

  @Override
  public void postInit(ServletContext context, Set<Class<?>> classes, Set<String> servletNames) {}

  @Override
  public void onRegister(ServletContext context, Set<String> servletNames) {}

  @Override
  public void configure(ResourceConfig config) {}
}
