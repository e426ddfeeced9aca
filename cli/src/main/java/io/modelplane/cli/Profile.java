package io.modelplane.cli;

/**
 * One named set of connection settings in the configuration file.
 *
 * @param url the server's base URL, or {@code null}
 * @param psk the PSK itself, or {@code null}
 * @param pskEnv the name of an environment variable holding the PSK, or {@code null}
 */
record Profile(String url, String psk, String pskEnv) {}
