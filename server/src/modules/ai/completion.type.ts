import { Field, Int, ObjectType } from 'type-graphql';
import { KeySource } from '../../graphql/enums';
import type { CompletionOutcome } from './ai.service';

@ObjectType('Completion', { description: 'The answer to one AI request and who paid for it' })
export class CompletionType {
  @Field(() => String)
  text: string;

  @Field(() => String, { description: 'The model that answered, as the provider reports it' })
  model: string;

  @Field(() => KeySource, { description: "WORKSPACE: the workspace's own key paid; GLOBAL: the platform's key" })
  keySource: KeySource;

  @Field(() => Int)
  inputTokens: number;

  @Field(() => Int)
  outputTokens: number;

  @Field(() => Int, { description: 'Estimated cost in micro-USD (0 for a model missing from the price table)' })
  costMicroUsd: number;

  @Field(() => Int, { description: 'Time from request to answer, in milliseconds' })
  latencyMs: number;

  static present(outcome: CompletionOutcome): CompletionType {
    return Object.assign(new CompletionType(), {
      text: outcome.text,
      model: outcome.model,
      keySource: outcome.keySource,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      costMicroUsd: outcome.costMicroUsd,
      latencyMs: outcome.latencyMs,
    });
  }
}
