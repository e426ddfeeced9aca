package io.modelplane.server.api;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;

/** Reads ISO-8601 date-time query parameters such as {@code created_after=2026-01-01T00:00:00Z}. */
public final class TimeParamConverters implements ParamConverterProvider {
  private static final ParamConverter<OffsetDateTime> OFFSET_DATE_TIME =
      new ParamConverter<>() {
        @Override
        public OffsetDateTime fromString(String value) {
          return value == null ? null : OffsetDateTime.parse(value);
        }

        @Override
        public String toString(OffsetDateTime value) {
          return value.toString();
        }
      };

  @Override
  @SuppressWarnings("unchecked")
  public <T> ParamConverter<T> getConverter(
      Class<T> rawType, Type genericType, Annotation[] annotations) {
    return rawType == OffsetDateTime.class ? (ParamConverter<T>) OFFSET_DATE_TIME : null;
  }
}
