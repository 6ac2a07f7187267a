import { useQuery } from '@apollo/client/react';
import { WorkspaceBudgetDocument } from '../../../generated/graphql';
import { BudgetEditor } from './budget-editor';
import { BudgetCard } from './budget-meter';

/** The owner's (and admins') view of a workspace's cap; renders nothing for members (the field is theirs to not see). */
export function WorkspaceBudgetCard({ workspaceId, visible }: { workspaceId: string; visible: boolean }) {
  const { data } = useQuery(WorkspaceBudgetDocument, { variables: { id: workspaceId }, skip: !visible });
  const budget = data?.workspace?.platformKeyBudget;
  return visible && budget ? <BudgetCard budget={budget} /> : null;
}

/** Admin (workspace detail page): the workspace's cap, editable. */
export function WorkspaceBudgetAdmin({ workspaceId }: { workspaceId: string }) {
  const { data } = useQuery(WorkspaceBudgetDocument, { variables: { id: workspaceId } });
  const budget = data?.workspace?.platformKeyBudget;
  if (!budget) return null;
  return (
    <section className="card" aria-labelledby="budget-admin-title">
      <h2 className="card-title" id="budget-admin-title">
        Cap on platform keys
      </h2>
      <BudgetEditor workspaceId={workspaceId} budget={budget} />
    </section>
  );
}
