/**
 * The name the dashboard sends in `apollographql-client-name`. Its trusted documents are its operations
 * (gateway/trusted-documents/talent-hub-dashboard.json, `npm run trusted-documents`), so a gateway with
 * TRUSTED_DOCUMENTS=enforce runs them and refuses any other text sent under this name.
 */
export const dashboardClientName = 'talent-hub-dashboard';
