/**
 * The ecosystem file and its model: finding and reading the file (YAML through SnakeYAML's
 * composer, JSON through Jackson's streaming parser, both into one positioned tree), validating it
 * against {@code schemas/pmj.schema.json}, resolving templates, env files and interpreters, and the
 * records every other package reads ({@link dev.pmj.config.Project}, {@link
 * dev.pmj.config.ProcessSpec}). Problems are values ({@link dev.pmj.config.ConfigProblem}), all
 * collected, never thrown at the user. Uses no other package of pmj.
 */
package dev.pmj.config;
