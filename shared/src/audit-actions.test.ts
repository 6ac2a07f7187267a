import { AUDIT_ACTIONS, AUDIT_ACTION_NAMES, auditActionLabel, isAuditAction } from './audit-actions.js';

describe('audit actions', () => {
  it('labels every action with distinct, non-empty wording', () => {
    const labels = AUDIT_ACTION_NAMES.map((action) => AUDIT_ACTIONS[action].label);
    expect(labels.every((label) => label.trim().length > 0)).toBe(true);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('names actions in the upper snake case stored in the audit log', () => {
    for (const action of AUDIT_ACTION_NAMES) expect(action).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it('narrows known actions only', () => {
    expect(isAuditAction('WORKSPACE_KEY_SET')).toBe(true);
    expect(isAuditAction('SOMETHING_ELSE')).toBe(false);
    expect(isAuditAction('toString')).toBe(false);
    expect(isAuditAction(42)).toBe(false);
  });

  it('labels a known action, and shows an unknown one as it is', () => {
    expect(auditActionLabel('GLOBAL_KEY_CLEARED')).toBe('Platform key cleared');
    expect(auditActionLabel('RETIRED_ACTION')).toBe('RETIRED_ACTION');
  });
});
