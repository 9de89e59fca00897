import { GraphiQL } from 'graphiql';
// Monaco's editor, JSON and GraphQL workers, bundled by Vite as files of this build (no CDN).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { ActiveTabEditors } from './ActiveTabEditors.js';
import { gatewayFetcher } from './fetcher.js';
import { ProductHeader } from './ProductHeader.js';
import { exampleTabs } from './tabs.js';
import './explorer.css';

const fetcher = gatewayFetcher();
const defaultTabs = exampleTabs().map(({ query, variables }) => ({ query, variables }));

export function App() {
  return (
    <div className="explorer">
      <GraphiQL fetcher={fetcher} defaultTabs={defaultTabs} defaultEditorToolsVisibility="variables">
        {/* Inside GraphiQL, so that it can write into the headers editor; shown above it by CSS (explorer.css). */}
        <ProductHeader />
        <ActiveTabEditors />
      </GraphiQL>
    </div>
  );
}
