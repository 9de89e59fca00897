import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
// Monaco's editor, JSON and GraphQL workers, bundled by Vite as files of this build (no CDN).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { ActiveTabEditors } from './ActiveTabEditors.js';
import { ProductHeader } from './ProductHeader.js';
import { exampleTabs } from './tabs.js';
import './explorer.css';

// The graph at this page's own origin (gateway/server.ts answers POST /graphql): the explorer works wherever the
// gateway is, and sends nothing elsewhere (the gateway's Content-Security-Policy would refuse it anyway).
const fetcher = createGraphiQLFetcher({ url: '/graphql' });
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
