import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { boot } from './app/boot.js';
import { AppContext } from './app/context.js';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
void boot().then((ctx) => {
  root.render(
    <StrictMode>
      <AppContext.Provider value={ctx}>
        <App />
      </AppContext.Provider>
    </StrictMode>,
  );
});
