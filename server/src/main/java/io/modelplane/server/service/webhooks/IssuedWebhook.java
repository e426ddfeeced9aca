package io.modelplane.server.service.webhooks;

/** A subscription just created, with its signing secret (shown once). */
public record IssuedWebhook(Webhook webhook, String secret) {}
