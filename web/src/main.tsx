import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PROVIDERS } from '@byok/shared';

function App() {
  return <h1>byok — {Object.values(PROVIDERS).map((provider) => provider.label).join(', ')}</h1>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
