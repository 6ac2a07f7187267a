import { Link } from 'react-router';
import { EmptyState } from '../components/notice';
import { PageHeader } from '../components/page-header';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is nothing at this address.">
        <Link to="/">Go to the start page</Link>
      </EmptyState>
    </>
  );
}
