const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text is a UUID, checked before it reaches a uuid column (Postgres would reject it with an error). */
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);
