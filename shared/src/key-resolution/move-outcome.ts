/** Where a workspace's requests go after an admin's change: its own key, a working platform key, a rejected one, or none. */
export const MOVE_OUTCOMES = ['OWN_KEY', 'WORKING_PLATFORM_KEY', 'REJECTED_PLATFORM_KEY', 'NO_KEY'] as const;

export type MoveOutcome = (typeof MOVE_OUTCOMES)[number];
