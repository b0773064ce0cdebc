/**
 * A kebab-case name: lowercase letters and digits in words joined by single hyphens, starting
 * with a letter. Service names must match it (npm package, workspace folder, construct id,
 * `fleet.<service>` event source).
 */
export const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
