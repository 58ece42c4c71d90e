/** A configuration error; its message is the reason, worded as Redis words it. */
export class ConfigError extends Error {}
