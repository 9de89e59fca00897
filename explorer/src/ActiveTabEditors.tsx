import { useGraphiQL } from '@graphiql/react';
import { useEffect } from 'react';

/**
 * Fills the variables and headers editors from the active tab when they first appear empty. GraphiQL 5 opens the
 * first of `defaultTabs` with its query but without its variables (the provider seeds the variables editor from
 * storage or the `initialVariables` prop only), so the first example tab would run without the README's values.
 */
export function ActiveTabEditors() {
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const activeTab = useGraphiQL((state) => state.tabs[state.activeTabIndex]);

  // Only when an editor is created: afterwards what the user typed is the tab's value.
  useEffect(() => {
    if (variableEditor && variableEditor.getValue() === '' && activeTab?.variables) variableEditor.setValue(activeTab.variables);
  }, [variableEditor]);
  useEffect(() => {
    if (headerEditor && headerEditor.getValue() === '' && activeTab?.headers) headerEditor.setValue(activeTab.headers);
  }, [headerEditor]);
  return null;
}
