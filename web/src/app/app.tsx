import { ApolloProvider } from '@apollo/client/react';
import { useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AdminAuditPage } from '../modules/audit/pages/admin-audit-page';
import { NoticesBanner } from '../modules/cost-control/components/notices-banner';
import { AdminWebhooksPage } from '../modules/cost-control/pages/admin-webhooks-page';
import { AdminUsagePage } from '../modules/usage/pages/admin-usage-page';
import { WorkspaceUsagePage } from '../modules/usage/pages/workspace-usage-page';
import { AdminWorkspaceDetailPage } from '../modules/admin-workspaces/pages/admin-workspace-detail-page';
import { AdminWorkspacesPage } from '../modules/admin-workspaces/pages/admin-workspaces-page';
import { ApiTokensPage } from '../modules/api-tokens/pages/api-tokens-page';
import { RequireAdmin, RequireAuth } from '../modules/auth/components/require-auth';
import { SignInPage } from '../modules/auth/pages/sign-in-page';
import { SignUpPage } from '../modules/auth/pages/sign-up-page';
import { IntegrationsPage } from '../modules/integrations/pages/integrations-page';
import { PlaygroundPage } from '../modules/playground/pages/playground-page';
import { ApiKeysPage } from '../modules/provider-keys/pages/api-keys-page';
import { WorkspaceLayout } from '../modules/workspaces/components/workspace-layout';
import { HomeRedirect } from '../modules/workspaces/pages/home-redirect';
import { MembersPage } from '../modules/workspaces/pages/members-page';
import { createApolloClient } from './apollo-client';
import { AppShell } from './app-shell';
import { NotFoundPage } from './not-found-page';

export function App() {
  const [client] = useState(createApolloClient);
  return (
    <ApolloProvider client={client}>
      <BrowserRouter>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/sign-up" element={<SignUpPage />} />
          <Route
            element={
              <RequireAuth>
                <AppShell />
              </RequireAuth>
            }
          >
            <Route index element={<HomeRedirect />} />
            <Route path="w/:workspaceId" element={<WorkspaceLayout />}>
              <Route index element={<Navigate to="playground" replace />} />
              <Route path="playground" element={<PlaygroundPage />} />
              <Route path="settings/api-keys" element={<ApiKeysPage />} />
              <Route path="usage" element={<WorkspaceUsagePage />} />
              <Route path="members" element={<MembersPage />} />
            </Route>
            <Route
              path="admin/*"
              element={
                <RequireAdmin>
                  <NoticesBanner workspaceId={null} />
                  <Routes>
                    <Route index element={<Navigate to="integrations" replace />} />
                    <Route path="integrations" element={<IntegrationsPage />} />
                    <Route path="workspaces" element={<AdminWorkspacesPage />} />
                    <Route path="workspaces/:workspaceId" element={<AdminWorkspaceDetailPage />} />
                    <Route path="usage" element={<AdminUsagePage />} />
                    <Route path="audit" element={<AdminAuditPage />} />
                    <Route path="webhooks" element={<AdminWebhooksPage />} />
                    <Route path="*" element={<NotFoundPage />} />
                  </Routes>
                </RequireAdmin>
              }
            />
            <Route path="account/api-tokens" element={<ApiTokensPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </ApolloProvider>
  );
}
