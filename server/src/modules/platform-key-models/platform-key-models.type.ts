import { Field, ObjectType } from 'type-graphql';
import { Provider } from '../../graphql/enums';
import type { PlatformKeyModelsView } from './platform-key-models.service';

/** SPEC R21: which models the platform's key serves a workspace, for one provider. */
@ObjectType('PlatformKeyModels', { description: "Which models the platform's key serves, for one provider; a workspace's own keys are never restricted" })
export class PlatformKeyModelsType {
  @Field(() => Provider)
  provider: Provider;

  @Field(() => [String], { nullable: true, description: 'The models allowed on the platform key; null = every model' })
  models: string[] | null;

  @Field(() => Boolean, { description: "True when the workspace has no list of its own and the platform's default applies" })
  inherited: boolean;

  static present(view: PlatformKeyModelsView): PlatformKeyModelsType {
    return Object.assign(new PlatformKeyModelsType(), { provider: view.provider, models: view.models, inherited: view.inherited });
  }
}
