import { useQuery } from '@apollo/client/react';
import { PROVIDER_IDS } from '@byok/shared';
import { ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { IntegrationsDocument } from '../../../generated/graphql';
import { IntegrationCard } from '../components/integration-card';

export function IntegrationsPage() {
  const { data, loading, error } = useQuery(IntegrationsDocument);
  return (
    <>
      <PageHeader
        title="Integrations"
        description="The platform's own provider keys, and whether workspace owners may bring their own. A workspace's own key is used only while custom keys are on for that provider."
      />
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      <div className="card-grid">
        {PROVIDER_IDS.map((providerId) => {
          const integration = data?.integrations.find((item) => item.provider === providerId);
          return integration ? <IntegrationCard key={providerId} providerId={providerId} integration={integration} /> : null;
        })}
      </div>
    </>
  );
}
