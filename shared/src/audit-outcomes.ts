/** Whether an audited change succeeded. */
export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
