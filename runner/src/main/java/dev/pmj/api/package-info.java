/**
 * Reaching a running pmj from outside: the instance of a project ({@code .pmj/}: lock and state
 * file), the HTTP API on 127.0.0.1 (token, Host and Origin checks, REST, Server-Sent Events,
 * JSON-RPC, Prometheus metrics) that serves the supervisor's {@code Control}, and the same {@code
 * Control} over HTTP for the CLI. A view and a command source: it uses the supervisor's public
 * surface and {@code config}'s model, never the console, watch or os packages.
 */
package dev.pmj.api;
