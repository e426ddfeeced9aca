package io.modelplane.server.api.errors;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a resource method parameter comes from on the wire ({@code ["query", "page_size"]},
 * {@code ["path", "job_id"]} or {@code ["body"]}) by reading the JAX-RS annotations of the
 * generated interface the resource implements.
 */
final class ParameterLocator {
  private ParameterLocator() {}

  /** Wire location of parameter {@code index} of {@code methodName(parameterTypes)}. */
  static List<Object> locate(
      Class<?> resourceClass, String methodName, Class<?>[] parameterTypes, int index) {
    return declaredMethod(resourceClass, methodName, parameterTypes)
        .map(m -> locationOf(m.getParameterAnnotations()[index]))
        .orElse(List.of("body"));
  }

  /** Java type of the parameter bound to {@code name} by an annotation of kind {@code kind}. */
  static Optional<Type> typeOf(Method resourceMethod, Class<?> kind, String name) {
    Method method =
        declaredMethod(
                resourceMethod.getDeclaringClass(),
                resourceMethod.getName(),
                resourceMethod.getParameterTypes())
            .orElse(resourceMethod);
    Annotation[][] annotations = method.getParameterAnnotations();
    for (int i = 0; i < annotations.length; i++) {
      List<Object> loc = locationOf(annotations[i]);
      boolean sameKind =
          kind == QueryParam.class && "query".equals(loc.get(0))
              || kind == PathParam.class && "path".equals(loc.get(0))
              || kind == HeaderParam.class && "header".equals(loc.get(0));
      if (sameKind && loc.size() > 1 && name.equals(loc.get(1))) {
        Type type = method.getGenericParameterTypes()[i];
        if (type instanceof ParameterizedType generic) {
          return Optional.of(generic.getActualTypeArguments()[0]); // List<UUID> → UUID
        }
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  private static Optional<Method> declaredMethod(
      Class<?> resourceClass, String name, Class<?>[] parameterTypes) {
    List<Class<?>> candidates = new ArrayList<>(List.of(resourceClass.getInterfaces()));
    candidates.add(resourceClass);
    for (Class<?> candidate : candidates) {
      try {
        Method method = candidate.getMethod(name, parameterTypes);
        if (hasParamAnnotations(method)) {
          return Optional.of(method);
        }
      } catch (NoSuchMethodException e) {
        // not declared here
      }
    }
    return Optional.empty();
  }

  private static boolean hasParamAnnotations(Method method) {
    for (Annotation[] parameter : method.getParameterAnnotations()) {
      if (!locationOf(parameter).equals(List.of("body"))) {
        return true;
      }
    }
    return method.getParameterCount() <= 1;
  }

  private static List<Object> locationOf(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation instanceof QueryParam q) {
        return List.of("query", q.value());
      }
      if (annotation instanceof PathParam p) {
        return List.of("path", p.value());
      }
      if (annotation instanceof HeaderParam h) {
        return List.of("header", h.value());
      }
      if (annotation instanceof CookieParam c) {
        return List.of("cookie", c.value());
      }
    }
    return List.of("body");
  }
}
