export function StatTiles({ items }: { items: { label: string; value: string; hint?: string }[] }) {
  return (
    <dl className="stat-tiles">
      {items.map((item) => (
        <div key={item.label} className="stat-tile">
          <dt>{item.label}</dt>
          <dd>
            <span className="stat-value">{item.value}</span>
            {item.hint ? <span className="muted stat-hint">{item.hint}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
