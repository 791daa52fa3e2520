/**
 * Other runners' files into pmj's model (import: Procfile, PM2 ecosystem files, process-compose,
 * processman) and pmj's model into production engines (export: systemd, Compose, Kubernetes). Uses
 * {@code config}'s model only.
 */
package dev.pmj.convert;
