export function Pager({
  page,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button button-small" onClick={onPrevious} disabled={!hasPrevious}>
        Previous
      </button>
      <span className="muted">Page {page}</span>
      <button type="button" className="button button-small" onClick={onNext} disabled={!hasNext}>
        Next
      </button>
    </nav>
  );
}
